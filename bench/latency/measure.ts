/**
 * One mode of the latency benchmark: `weir edge` as a child process with one
 * pipeline from a core NATS subject to a core NATS subject; the benchmark
 * process publishes the records (publisher.ts) and receives the rows, each
 * on its own connection. Every row's latency is its arrival time minus the
 * publish time of the record that closed its window, both read from
 * performance.now() in this process.
 *
 * The reference, `echo`: a bare Node.js child process on nats.js that
 * republishes every {@link ECHO_STRIDE}-th message it receives, unchanged,
 * to the output subject (all of them would double the benchmark process's
 * load). Core NATS keeps the order of one publisher's messages to one
 * subscriber, so the k-th message back is the (k × stride)-th published; its
 * latency is the floor of two hops through the server and a Node.js process
 * on this machine.
 */
import type { Msg } from "@nats-io/transport-node";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { WeirError } from "../../src/index.js";
import { connectNats } from "../../edge/nats/connection.js";
import { describeExit, raceChild, spawnChild, type Child } from "../edge/child.js";
import { repoRoot } from "../lib/paths.js";
import { LatencyHistogram, type LatencySummary } from "./histogram.js";
import { processCpuSeconds, sleep, stoppedCounters, type StoppedCounters } from "./proc.js";
import { publishPhases, WindowTracker, WINDOW_MS, type Phase, type PhasePublished } from "./publisher.js";

export type LatencyMode = "continuous" | "micro-batch" | "echo";

/** The echo process sends back one message in this many. */
export const ECHO_STRIDE = 10;

/** The reference child process: republish every stride-th message of `in` to `out` (argv: url, in, out, stride). */
const ECHO_SCRIPT = [
  `import { connect } from "@nats-io/transport-node";`,
  `const [url, from, to, stride] = process.argv.slice(1);`,
  `const every = Number(stride);`,
  `let n = 0;`,
  `const nc = await connect({ servers: url, noAsyncTraces: true });`,
  `nc.subscribe(from, { callback: (err, m) => { if (!err && n++ % every === 0) nc.publish(to, m.data); } });`,
  `await nc.flush();`,
  `process.on("SIGTERM", () => void nc.drain().finally(() => process.exit(0)));`,
  `console.log("echo ready");`,
].join("\n");

export interface LatencyPlan {
  keys: number;
  warmup: Phase;
  rates: readonly number[];
  /** Seconds of each measured rate. */
  seconds: number;
  /** Micro-batch trigger, ms. */
  triggerMs: number;
  /** When set, `weir edge` runs with `--cpu-prof` and writes its profile here. */
  cpuProfileDir?: string;
  /** The profile's sampling interval, µs (node's default: 1000). */
  cpuProfileIntervalUs?: number;
}

const IN_SUBJECT = "bench.latency.in";
const OUT_SUBJECT = "bench.latency.out";
const START_LIMIT_MS = 60_000;
const PROCESS_LIMIT_MS = 10 * 60_000;
/** After the last record: give up waiting for missing rows when none has arrived for this long. */
const SETTLE_STALL_MS = 3000;
const SETTLE_LIMIT_MS = 60_000;

/** The spec `weir edge` runs in `mode`. */
export function latencySpec(mode: LatencyMode, plan: LatencyPlan): object {
  return {
    name: `latency-${mode}`,
    mode,
    ...(mode === "micro-batch" ? { trigger: `${plan.triggerMs}ms` } : {}),
    time: { field: "ts", maxOutOfOrderness: 0 },
    key: "deviceId",
    window: { tumbling: `${WINDOW_MS / 1000}s` },
    aggregate: { n: "count()", avg_temp: "avg(temp)", max_temp: "max(temp)" },
    source: { nats: { subject: IN_SUBJECT, codec: "msgpack" } },
    sink: { nats: { subject: OUT_SUBJECT, codec: "json" } },
  };
}

/** The completeness check of the windows one phase filled. */
export interface WindowCheck {
  /** Windows of the phase that the published records closed. */
  closedWindows: number;
  /** Closed windows without a single row. */
  missingWindows: number;
  /** Rows missing from closed windows (a row per key with records in the window). */
  missingRows: number;
  /** Rows beyond one per key and window. */
  extraRows: number;
  /** Records published into closed windows but missing from their rows' Σ n (dropped on the way in). */
  lostRecords: number;
}

export interface PhaseMeasurement {
  phase: Phase;
  published: PhasePublished;
  /** Windows filled and closed within the phase: the ones measured. */
  windows: number;
  /** Per row: arrival − publish time of the record that closed its window. */
  rows: LatencyHistogram;
  /** Per window: the latency of its last row. */
  windowLast: LatencySummary;
  check: WindowCheck;
}

export interface ModeMeasurement {
  mode: LatencyMode;
  /** Spawn to the "pipeline running" line. */
  startupSeconds: number;
  stopped: StoppedCounters;
  /** Rows of windows that were never published to, or that arrived before their window closed. */
  unexpectedRows: number;
  earlyRows: number;
  /** weir's warnings about dropped core NATS messages and slow-consumer events. */
  dropWarnings: number;
  /** Records published in all (warm-up and closing record included). */
  publishedRecords: number;
  phases: PhaseMeasurement[];
}

interface Row {
  window_start: number;
  n: number;
}

export async function measureMode(url: string, dir: string, mode: LatencyMode, plan: LatencyPlan, log: (line: string) => void): Promise<ModeMeasurement> {
  // micro-batch: the closing record comes a random 0..trigger ms into the second, so that window ends fall all over the
  // trigger's cycle (weir's trigger runs at a steady period from its start, so whole-second window ends would otherwise
  // meet it at almost the same point of its cycle all run long)
  const closeDelayMaxMs = mode === "micro-batch" ? plan.triggerMs : 0;
  const phases: Phase[] = [plan.warmup, ...plan.rates.map((rate) => ({ rate, seconds: plan.seconds, measured: true }))].map((p) => ({ ...p, closeDelayMaxMs }));
  const echo = mode === "echo";

  const tracker = new WindowTracker(plan.keys);
  const hists = phases.map(() => new LatencyHistogram());
  let unexpectedRows = 0;
  let earlyRows = 0;
  let lastRowAt = performance.now();
  const onRow = (m: Msg) => {
    const at = performance.now();
    lastRowAt = at;
    const row = m.json<Row>();
    const w = tracker.windows.get(row.window_start);
    if (!w) {
      unexpectedRows++;
      return;
    }
    w.rows++;
    w.sumN += row.n;
    w.firstRowAt ??= at;
    w.lastRowAt = at;
    if (w.closedAt === null) {
      earlyRows++;
      return;
    }
    if (w.phase === w.closingPhase && phases[w.phase]!.measured) hists[w.phase]!.recordMs(at - w.closedAt);
  };
  // echo: the publish time and phase of every message, and how many came back per phase
  const capacity = phases.reduce((a, p) => a + p.rate * p.seconds, 0) + 16;
  const pubAt = echo ? new Float64Array(capacity) : null;
  const pubPhase = echo ? new Uint8Array(capacity) : null;
  /** echo: messages of each phase that were due back, and that came back. */
  const duePerPhase = phases.map(() => 0).concat([0]);
  const echoedPerPhase = phases.map(() => 0).concat([0]);
  let published = 0;
  let echoed = 0;
  const onEcho = () => {
    const at = performance.now();
    lastRowAt = at;
    const k = echoed++ * ECHO_STRIDE;
    if (k >= published) {
      unexpectedRows++;
      return;
    }
    const phase = pubPhase![k]!;
    echoedPerPhase[phase]!++;
    if (phases[phase]?.measured) hists[phase]!.recordMs(at - pubAt![k]!);
  };
  const onPublish = (seq: number, phase: number, at: number) => {
    published = seq + 1;
    if (seq % ECHO_STRIDE === 0) duePerPhase[phase]!++;
    if (pubAt && seq < capacity) {
      pubAt[seq] = at;
      pubPhase![seq] = phase;
    }
  };

  const sub = await connectNats(url, "weir-bench-latency-rows");
  const pub = await connectNats(url, "weir-bench-latency-publish");
  let child: Child | null = null;
  try {
    sub.subscribe(OUT_SUBJECT, { callback: (err, m) => (err ? undefined : echo ? onEcho() : onRow(m)) });
    await sub.flush();

    const marks = { running: null as number | null, stopped: null as StoppedCounters | null, dropWarnings: 0 };
    let onRunning: () => void = () => {};
    const isRunning = new Promise<void>((r) => (onRunning = r));
    let args: string[];
    if (echo) args = ["--input-type=module", "-e", ECHO_SCRIPT, url, IN_SUBJECT, OUT_SUBJECT, String(ECHO_STRIDE)];
    else {
      const specFile = join(dir, `latency-${mode}.json`);
      writeFileSync(specFile, JSON.stringify(latencySpec(mode, plan), null, 2) + "\n");
      const prof = plan.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${plan.cpuProfileDir}`, `--cpu-prof-name=weir-latency-${mode}.cpuprofile`] : [];
      if (prof.length > 0 && plan.cpuProfileIntervalUs) prof.push(`--cpu-prof-interval=${plan.cpuProfileIntervalUs}`);
      args = [...prof, join(repoRoot(), "bin", "weir.js"), "edge", specFile, "--nats", url, "--name", `latency-${mode}`];
    }
    const readyLine = echo ? "echo ready" : '"msg":"pipeline running"';
    const spawnedAt = performance.now();
    child = spawnChild(process.execPath, args, {
      cwd: repoRoot(),
      timeoutMs: PROCESS_LIMIT_MS,
      onLine: (line) => {
        if (marks.running === null && line.includes(readyLine)) {
          marks.running = performance.now();
          onRunning();
        } else if (line.includes('"msg":"pipeline stopped"')) marks.stopped = stoppedCounters(line);
        else if (line.includes('"msg":"inbox full: dropping core NATS messages"') || line.includes('"msg":"slow consumer"')) marks.dropWarnings++;
      },
    });
    const proc = child;
    await raceChild(proc, isRunning, START_LIMIT_MS, `${echo ? "the echo process" : "weir edge"} did not get ready`);
    const startupSeconds = (marks.running! - spawnedAt) / 1000;
    log(`latency/${mode}: ${echo ? "echo process" : "weir edge"} ready after ${startupSeconds.toFixed(2)} s (pid ${proc.pid})`);

    const out = await publishPhases({ nc: pub, subject: IN_SUBJECT, phases, tracker, onPublish, weirPid: proc.pid, cpuSeconds: processCpuSeconds, log: (l) => log(`latency/${mode}: ${l}`) });
    const publishedRecords = out.reduce((a, p) => a + p.messages, 0) + 1;

    // wait for the rows of every closed window, or every message back (or until they stop coming)
    const settleFrom = performance.now();
    lastRowAt = Math.max(lastRowAt, settleFrom);
    const done = () => (echo ? echoed >= Math.ceil(published / ECHO_STRIDE) : tracker.complete());
    while (!done() && performance.now() - lastRowAt < SETTLE_STALL_MS && performance.now() - settleFrom < SETTLE_LIMIT_MS) {
      if (proc.hasExited()) throw new WeirError("BENCH_CHILD", `${mode}: the child exited while its output was awaited (${describeExit(await proc.exited)}):\n${proc.tail()}`);
      await sleep(20);
    }

    const status = await proc.stop(30_000);
    if (status.code !== 0) throw new WeirError("BENCH_CHILD", `${mode}: the child did not exit 0 after SIGTERM (${describeExit(status)}):\n${proc.tail()}`);
    let stopped: StoppedCounters;
    if (echo) stopped = { recordsIn: echoed, rowsOut: echoed, late: 0, deadLettered: 0 };
    else if (!marks.stopped) throw new WeirError("BENCH_CHILD", `weir edge exited without a "pipeline stopped" line:\n${proc.tail()}`);
    else stopped = marks.stopped;

    const closed = tracker.closed();
    const measured: PhaseMeasurement[] = phases.map((phase, i) => {
      const last = new LatencyHistogram();
      if (echo) {
        const lost = duePerPhase[i]! - echoedPerPhase[i]!;
        return { phase, published: out[i]!, windows: 0, rows: hists[i]!, windowLast: last.summary(), check: { closedWindows: 0, missingWindows: 0, missingRows: 0, extraRows: 0, lostRecords: lost } };
      }
      const own = closed.filter((w) => w.phase === i);
      const timed = own.filter((w) => w.closingPhase === i);
      for (const w of timed) if (w.lastRowAt !== null) last.recordMs(w.lastRowAt - w.closedAt!);
      return {
        phase,
        published: out[i]!,
        windows: timed.length,
        rows: hists[i]!,
        windowLast: last.summary(),
        check: {
          closedWindows: own.length,
          missingWindows: own.filter((w) => w.rows === 0).length,
          missingRows: own.reduce((a, w) => a + Math.max(0, w.distinct - w.rows), 0),
          extraRows: own.reduce((a, w) => a + Math.max(0, w.rows - w.distinct), 0),
          lostRecords: own.reduce((a, w) => a + Math.max(0, w.records - w.sumN), 0),
        },
      };
    });
    return { mode, startupSeconds, stopped, unexpectedRows, earlyRows, dropWarnings: marks.dropWarnings, publishedRecords, phases: measured };
  } finally {
    if (child && !child.hasExited()) await child.stop(5000);
    await pub.close();
    await sub.close();
  }
}
