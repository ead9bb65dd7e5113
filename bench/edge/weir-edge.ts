/**
 * `weir-edge`: one pipeline of the `weir edge` command, run as users run
 * it (`node bin/weir.js edge <spec> --nats <url>`, a child process), reading
 * the case's stream and writing one row per device and 10 s window to a
 * JetStream sink. The clock starts at its "pipeline running" log line and
 * stops when the sink stream holds every row that the data closes.
 */
import { peakRss, spawnWeirEdge, type StoppedCounters } from "../lib/weir-process.js";
import { jetstream, jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { WeirError } from "../../src/index.js";
import { connectNats } from "../../edge/nats/connection.js";
import type { EdgeCase } from "./cases.js";
import { describeExit, type Child } from "./child.js";
import type { CaseInput, EdgeContender, EdgeMeasurement } from "./contender.js";
import { MAX_OUT_OF_ORDERNESS_MS, WINDOW_MS } from "./data.js";

/** Messages the JetStream source holds in the client. */
const MAX_IN_FLIGHT = 1000;
/** How often the sink stream's message count is read while the clock runs. */
const POLL_MS = 50;
/** Give up when the sink stream gains no row for this long. */
const STALL_MS = 30_000;
/** Reading the sink stream back after the run (not timed). */
const READ_LIMIT_MS = 180_000;
/** Hard limit of one `weir edge` process. */
const PROCESS_LIMIT_MS = 10 * 60_000;
/** Time to reach "pipeline running" after spawn, and to exit after SIGTERM. */
const START_LIMIT_MS = 60_000;
const STOP_GRACE_MS = 60_000;

export type { StoppedCounters } from "../lib/weir-process.js";

/** What the sink stream holds after the run. */
export interface SinkTotals {
  rows: number;
  sumN: number;
  sumMax: number;
  sumAvg: number;
}

export interface WeirEdgeMeasurement extends EdgeMeasurement {
  stopped: StoppedCounters;
  sink: SinkTotals;
}

export const outStream = (c: EdgeCase) => `${c.stream}_OUT`;
const outSubject = (c: EdgeCase) => `bench.out.${c.name}`;
export const pipelineName = (c: EdgeCase) => `edge-${c.name}`;

/** The spec weir-edge runs for a case (JSON, which the YAML loader reads too). */
export function edgeSpec(c: EdgeCase): object {
  return {
    name: pipelineName(c),
    mode: "continuous",
    time: { field: "ts", maxOutOfOrderness: `${MAX_OUT_OF_ORDERNESS_MS / 1000}s` },
    key: "deviceId",
    window: { tumbling: `${WINDOW_MS / 1000}s` },
    aggregate: { n: "count()", avg_temp: "avg(temp)", max_temp: "max(temp)" },
    source: { jetstream: { stream: c.stream, subjects: [c.subject], codec: "msgpack", maxInFlight: MAX_IN_FLIGHT } },
    sink: { jetstream: { stream: outStream(c), subject: outSubject(c), create: true, codec: "json" } },
    checkpoint: { interval: "10s" },
  };
}

export const weirEdgeContender: EdgeContender & { run(input: CaseInput, log: (line: string) => void): Promise<WeirEdgeMeasurement> } = {
  name: "weir-edge",
  method:
    "`node bin/weir.js edge <spec> --nats <url> --name bench` as a child process, continuous mode, WASM kernel (the defaults), " +
    `one pipeline: JetStream source (a durable pull consumer, \`maxInFlight: ${MAX_IN_FLIGHT}\`, msgpack), watermark max ts − 2 s, ` +
    "key deviceId, tumbling 10 s windows with `count()`, `avg(temp)`, `max(temp)`, each row published to a JetStream sink stream " +
    "(JSON, one message per row, with its Nats-Msg-Id), checkpoints every 10 s to the server's KV bucket. Timed: from its " +
    '`"msg":"pipeline running"` log line (stderr) until the sink stream holds every row that the data closes, read from the ' +
    `stream's message count every ${POLL_MS} ms. Start-up before that line, and the drain after SIGTERM (checkpoint, flush, exit 0), are not timed.`,
  async run(input: CaseInput, log: (line: string) => void): Promise<WeirEdgeMeasurement> {
    const c = input.case;
    const specFile = join(input.dir, `${pipelineName(c)}.json`);
    writeFileSync(specFile, JSON.stringify(edgeSpec(c), null, 2) + "\n");
    const nc = await connectNats(input.url, "weir-bench-watch");
    let child: Child | null = null;
    try {
      const jsm = await jetstreamManager(nc);
      const weir = spawnWeirEdge(specFile, input.url, { timeoutMs: PROCESS_LIMIT_MS });
      const proc = (child = weir.child);
      const t0 = await weir.untilRunning(START_LIMIT_MS);
      const startupSeconds = (t0 - weir.spawnedAt) / 1000;
      log(`weir-edge: running after ${startupSeconds.toFixed(2)} s; waiting for ${input.expected.rows.toLocaleString("en-US")} rows`);

      const t1 = await waitForRows(jsm, outStream(c), input.expected.rows, proc);
      const seconds = (t1 - t0) / 1000;
      const peakRssMiB = peakRss(proc.pid);

      const stopAt = performance.now();
      const status = await proc.stop(STOP_GRACE_MS);
      const stopSeconds = (performance.now() - stopAt) / 1000;
      if (status.code !== 0) throw new WeirError("BENCH_CHILD", `weir edge did not exit 0 after SIGTERM (${describeExit(status)}):\n${proc.tail()}`);
      const counters = weir.stopped;
      if (!counters) throw new WeirError("BENCH_CHILD", `weir edge exited without a "pipeline stopped" line:\n${proc.tail()}`);

      const sink = await sinkTotals(nc, jsm, outStream(c));
      return {
        seconds,
        records: counters.recordsIn,
        messages: input.messages,
        rowsOut: sink.rows,
        startupSeconds,
        stopSeconds,
        peakRssMiB,
        stopped: counters,
        sink,
      };
    } finally {
      if (child && !child.hasExited()) await child.stop(5000);
      await nc.close();
    }
  },
};

/** Polls the sink stream's message count until it reaches `rows`; returns the time it did. */
async function waitForRows(jsm: JetStreamManager, stream: string, rows: number, proc: Child): Promise<number> {
  let seen = -1;
  let changedAt = Date.now();
  for (;;) {
    const held = await jsm.streams.info(stream).then(
      (i) => i.state.messages,
      () => 0, // weir has not created it yet
    );
    if (held >= rows) return performance.now();
    if (proc.hasExited()) throw new WeirError("BENCH_CHILD", `weir edge exited with ${held} of ${rows} rows in ${stream}:\n${proc.tail()}`);
    if (held !== seen) {
      seen = held;
      changedAt = Date.now();
    } else if (Date.now() - changedAt > STALL_MS) {
      throw new WeirError("BENCH_MISMATCH", `weir-edge: ${stream} stayed at ${held} of ${rows} expected rows for ${STALL_MS / 1000} s:\n${proc.tail()}`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}


interface Row {
  n: number;
  avg_temp: number;
  max_temp: number;
}

/** Reads every row of the sink stream (an ordered consumer) and sums the checked columns. */
async function sinkTotals(nc: NatsConnection, jsm: JetStreamManager, stream: string): Promise<SinkTotals> {
  const t: SinkTotals = { rows: 0, sumN: 0, sumMax: 0, sumAvg: 0 };
  const info = await jsm.streams.info(stream);
  const last = info.state.last_seq;
  if (info.state.messages === 0) return t;
  const consumer = await jetstream(nc).consumers.get(stream);
  const iter = await consumer.consume({ max_messages: 10_000 });
  const watchdog = setTimeout(() => void iter.close(), READ_LIMIT_MS);
  try {
    for await (const m of iter) {
      const row = m.json<Row>();
      t.rows++;
      t.sumN += row.n;
      t.sumMax += row.max_temp;
      t.sumAvg += row.avg_temp;
      if (m.seq >= last) break;
    }
  } finally {
    clearTimeout(watchdog);
    await iter.close().catch(() => undefined);
  }
  return t;
}
