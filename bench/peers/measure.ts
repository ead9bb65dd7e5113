/**
 * Runs the contenders on one private nats-server: the input stream is
 * filled once (untimed), then, round after round, each contender reads it
 * from the start through a durable consumer of its own, in its own process,
 * while the benchmark collects its rows from a core subject. A contender's
 * time runs from its "reading" line to the arrival of the last row the
 * data closes; its rows are then compared with the expected ones.
 */
import { peakRss } from "../lib/weir-process.js";
import type { NatsConnection } from "@nats-io/transport-node";
import { WeirError } from "../../src/index.js";
import { connectNats } from "../../edge/nats/connection.js";
import { describeExit, raceChild, spawnChild, type Child } from "../edge/child.js";
import { expectedOutcome, generateEdgeData, type EdgeDataShape } from "../edge/data.js";
import type { EdgeCase } from "../edge/cases.js";
import { PrivateNatsServer } from "../edge/nats-server.js";
import { publishCase } from "../edge/publish.js";
import type { Log } from "../lib/log.js";
import { si } from "../lib/report.js";
import { repoRoot } from "../lib/paths.js";
import { RowCollector } from "./collect.js";
import { WEIR, type Peer, type PeerRunInput } from "./contenders.js";
import { compareRows, expectedRows, type ExpectedRows } from "./expected.js";
import type { PeerInput, PeerMeasurement, PeerResult } from "./run-record.js";

export const INPUT_CASE: EdgeCase = {
  name: "batched",
  title: "100 records per message (msgpack array)",
  recordsPerMessage: 100,
  divisor: 1,
  stream: "PEERS_IN",
  subject: "peers.in",
};

/** Hard limit of one contender process. */
const PROCESS_LIMIT_MS = 5 * 60_000;
/** From spawn to its "reading" line. */
const START_LIMIT_MS = 60_000;
/** Give up when no row arrives for this long. */
const STALL_MS = 30_000;
/** SIGTERM to exit, then SIGKILL. */
const STOP_GRACE_MS = 15_000;
/** After the last expected row: time for rows sent twice to show up. */
const SETTLE_MS = 200;

export interface PeerMeasurements {
  natsServer: string;
  input: PeerInput;
  results: PeerResult[];
}

export async function measurePeers(shape: EdgeDataShape, peers: readonly Peer[], rounds: number, log: Log): Promise<PeerMeasurements> {
  const data = generateEdgeData(shape);
  const want = expectedRows(data);
  const check = expectedOutcome(data);
  if (want.rows !== check.rows || want.sumN !== check.sumN || want.sumN !== shape.records - 1) {
    throw new WeirError("BENCH_SETUP", `peers: expected ${want.rows} rows / Σ n ${want.sumN}, the edge benchmark's count says ${check.rows} / ${check.sumN}`);
  }
  const server = await PrivateNatsServer.start();
  log(`peers: nats-server at ${server.url}, store in ${server.dir}`);
  try {
    const nc = await connectNats(server.url, "weir-bench-peers");
    try {
      log(`peers: publishing ${shape.records.toLocaleString("en-US")} records, ${INPUT_CASE.recordsPerMessage} per message`);
      const p = await publishCase(nc, INPUT_CASE, data, shape.records);
      log(`peers: published ${p.messages.toLocaleString("en-US")} messages in ${p.seconds.toFixed(1)} s; ${want.rows.toLocaleString("en-US")} rows expected`);
      const input: PeerInput = {
        records: p.records,
        messages: p.messages,
        bytes: p.bytes,
        recordsPerMessage: INPUT_CASE.recordsPerMessage,
        publishSeconds: Number(p.seconds.toFixed(3)),
        expectedRows: want.rows,
        expectedSumN: want.sumN,
        closedWindows: want.windows,
      };
      const results: PeerResult[] = peers.map((peer) => ({ impl: peer.name, status: "ok", reason: null, runs: [] }));
      for (const [i, peer] of peers.entries()) {
        const why = peer.unavailable();
        if (why) {
          if (peer.name === WEIR) throw new WeirError("BENCH_SETUP", why);
          results[i]!.status = "unavailable";
          results[i]!.reason = why;
          log(`peers: ${peer.name} cannot run: ${why}`);
        }
      }
      for (let round = 1; round <= rounds; round++) {
        for (const [i, peer] of peers.entries()) {
          const result = results[i]!;
          if (result.status !== "ok") continue;
          const runId = `${peer.name}-${round}`;
          const run: PeerRunInput = {
            url: server.url,
            stream: INPUT_CASE.stream,
            subject: INPUT_CASE.subject,
            durable: `peers-${runId}`,
            outSubject: `peers.out.${runId}`,
            dir: server.dir,
            runId,
          };
          log(`peers: round ${round}/${rounds}: ${peer.name}`);
          try {
            const m = await measureOne(nc, peer, run, input, want, log);
            result.runs.push(m);
            log(`peers: ${peer.name}: ${si(m.recordsPerSec)} records/s (${m.seconds.toFixed(2)} s, start-up ${m.startupSeconds.toFixed(2)} s)`);
          } catch (e) {
            const msg = e instanceof WeirError ? e.message : String((e as Error)?.stack ?? e);
            if (peer.name === WEIR) throw e;
            result.status = e instanceof WeirError && e.code === "BENCH_MISMATCH" ? "disagrees" : "failed";
            result.reason = msg;
            log(`peers: ${peer.name} ${result.status}: ${msg.split("\n")[0]}`);
          }
        }
      }
      return { natsServer: nc.info?.version ?? "unknown", input, results };
    } finally {
      await nc.close();
    }
  } finally {
    await server.stop();
  }
}

/** One run of one contender; throws WeirError BENCH_MISMATCH when its rows are not the expected ones. */
async function measureOne(nc: NatsConnection, peer: Peer, run: PeerRunInput, input: PeerInput, want: ExpectedRows, log: Log): Promise<PeerMeasurement> {
  const collector = new RowCollector(nc, run.outSubject, want.rows);
  await nc.flush();
  const launch = peer.launch(run);
  let readyAt: number | null = null;
  let onReady: () => void = () => {};
  const isReady = new Promise<void>((r) => (onReady = r));
  let child: Child | null = null;
  try {
    const spawnedAt = performance.now();
    child = spawnChild(launch.command, launch.args, {
      cwd: repoRoot(),
      timeoutMs: PROCESS_LIMIT_MS,
      keepLines: 60,
      onLine: (line) => {
        if (readyAt === null && launch.ready(line)) {
          readyAt = performance.now();
          onReady();
        }
      },
    });
    const proc = child;
    await raceChild(proc, isReady, START_LIMIT_MS, `${peer.name} did not start reading`);
    const t0 = readyAt!;
    const startupSeconds = (t0 - spawnedAt) / 1000;
    await waitForRows(proc, collector, peer.name);
    const t1 = collector.completedAt!;
    const peakRssMiB = peakRss(proc.pid);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const status = await proc.stop(STOP_GRACE_MS);
    await nc.flush();
    if (status.code !== 0) log(`peers: ${peer.name} did not exit 0 after SIGTERM (${describeExit(status)})`);
    const cmp = compareRows(collector.rows, collector.repeated, want);
    if (collector.unreadable > 0) cmp.problems.push(`${collector.unreadable} messages were not JSON rows`);
    if (cmp.problems.length > 0) throw new WeirError("BENCH_MISMATCH", `${peer.name}: ${cmp.problems.join("; ")}`);
    const seconds = (t1 - t0) / 1000;
    return {
      seconds: Number(seconds.toFixed(3)),
      recordsPerSec: Math.round(input.records / seconds),
      rowsPerSec: Math.round(want.rows / seconds),
      startupSeconds: Number(startupSeconds.toFixed(3)),
      peakRssMiB: peakRssMiB === null ? null : Number(peakRssMiB.toFixed(1)),
      rowsEqual: cmp.equal,
      sumN: cmp.sumN,
    };
  } finally {
    collector.close();
    if (child && !child.hasExited()) await child.stop(5000);
  }
}

/** Waits until the collector holds every expected row; fails when the process exits first or rows stop coming. */
async function waitForRows(proc: Child, collector: RowCollector, name: string): Promise<void> {
  let done = false;
  void collector.complete.then(() => (done = true));
  while (!done) {
    await Promise.race([collector.complete, new Promise((r) => setTimeout(r, 250))]);
    if (done) break;
    if (proc.hasExited()) throw new WeirError("BENCH_CHILD", `${name} exited with ${collector.rows.size} of ${collector.target} rows:\n${proc.tail()}`);
    if (Date.now() - collector.lastRowAt > STALL_MS) {
      throw new WeirError("BENCH_STALL", `${name}: no row for ${STALL_MS / 1000} s, ${collector.rows.size} of ${collector.target} rows:\n${proc.tail()}`);
    }
  }
}

