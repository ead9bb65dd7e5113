/**
 * `weir edge` contenders: one pipeline, run as users run it
 * (`node bin/weir.js edge <spec> --nats <url> --name bench`, a child
 * process), in micro-batch or continuous mode, reading the transport's
 * subject and publishing one JSON row per device and closed 10 s window to
 * a core NATS subject that the benchmark subscribes to. The clock stops
 * when the benchmark has received every row the data closes.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { WeirError } from "../../src/index.js";
import { connectNats } from "../../edge/nats/connection.js";
import { describeExit, type Child } from "../edge/child.js";
import { spawnWeirEdge } from "../lib/weir-process.js";
import { MAX_OUT_OF_ORDERNESS_MS, WINDOW_MS } from "../edge/data.js";
import { MAX_MESSAGES, SLOW_PENDING } from "./bare.js";
import type { IngestContender, IngestInput, IngestMeasurement, Transport, WeirFigures } from "./contender.js";
import type { PublisherReport, Publishing } from "./publisher.js";

export type WeirMode = "micro-batch" | "continuous";

/**
 * The micro-batch interval: rows of a closed window leave at the next batch
 * end, so this bounds the delay it adds to the clock. 100 ms, as in the
 * latency benchmark: a core NATS run lasts about a second, and a longer
 * trigger's end-of-run wait (half a trigger on average) would weigh on it.
 */
export const MICRO_BATCH_TRIGGER = "100ms";
export const CHECKPOINT_INTERVAL = "10s";

/** Give up when no row arrives for this long (a window closes every 100,000 records). */
const STALL_MS = 30_000;
/** After weir reports dropped messages and the publisher is done: time to let it finish before it is stopped and judged. */
const AFTER_DROPS_MS = 3000;
/** Hard limit of one `weir edge` process. */
const PROCESS_LIMIT_MS = 5 * 60_000;
/** To reach "pipeline running" after spawn, and to exit after SIGTERM. */
const START_LIMIT_MS = 60_000;
const STOP_GRACE_MS = 60_000;

export const AGGREGATES = { n: "count()", avg_temp: "avg(temp)", max_temp: "max(temp)" } as const;

/** Per round: each round starts afresh (a new durable consumer, no checkpoint to resume from). */
const pipelineName = (t: Transport, mode: WeirMode, round: number) => `ingest-${t}-${mode}-${round + 1}`;
const rowsSubject = (t: Transport, mode: WeirMode, round: number) => `bench.ingest.rows.${t}.${mode}.${round + 1}`;

/** The spec a contender runs (JSON, which the YAML loader reads too). */
export function ingestSpec(input: Pick<IngestInput, "transport" | "round" | "stream" | "subject">, mode: WeirMode): object {
  const t = input.transport;
  return {
    name: pipelineName(t, mode, input.round),
    mode,
    ...(mode === "micro-batch" ? { trigger: MICRO_BATCH_TRIGGER } : {}),
    time: { field: "ts", maxOutOfOrderness: `${MAX_OUT_OF_ORDERNESS_MS / 1000}s` },
    key: "deviceId",
    window: { tumbling: `${WINDOW_MS / 1000}s` },
    aggregate: AGGREGATES,
    source:
      t === "jetstream"
        ? { jetstream: { stream: input.stream, subjects: [input.subject], codec: "msgpack", maxInFlight: MAX_MESSAGES } }
        : { nats: { subject: input.subject, codec: "msgpack", maxPending: SLOW_PENDING } },
    sink: { nats: { subject: rowsSubject(t, mode, input.round), codec: "json" } },
    checkpoint: { interval: CHECKPOINT_INTERVAL },
  };
}

/** "250ms" → "250 ms", for prose. */
export const spaced = (d: string) => d.replace(/^(\d+)([a-z]+)$/, "$1 $2");

export function weirContender(mode: WeirMode): IngestContender {
  const name = `weir edge, ${mode}`;
  return {
    letter: mode === "micro-batch" ? "c" : "d",
    name,
    method:
      mode === "continuous"
        ? "As (c), in continuous mode."
        : "`node bin/weir.js edge <spec> --nats <url> --name bench`, a child process, running the pipeline above in micro-batch " +
          `mode (trigger ${spaced(MICRO_BATCH_TRIGGER)}) with the WASM kernel (the default). Its source, on its own connection (docs/edge.md), is a JetStream ` +
          `durable pull consumer (\`maxInFlight: ${MAX_MESSAGES}\`, acknowledged after each checkpoint; weir also checkpoints every 100,000 ` +
          `unacknowledged messages) or a core NATS subscription (\`maxPending: ${SLOW_PENDING.toLocaleString("en-US")}\`). Timed on ` +
          'JetStream from its `"msg":"pipeline running"` log line, on core NATS from the request to the publisher, sent once that ' +
          "line is logged (its subscription is then registered); the clock stops when the benchmark has received every row the data " +
          "closes. Start-up before that line and the drain after SIGTERM (last checkpoint, exit 0) are not timed.",
    run: (input, log) => runWeir(input, mode, name, log),
  };
}

async function runWeir(input: IngestInput, mode: WeirMode, name: string, log: (line: string) => void): Promise<IngestMeasurement> {
  const t = input.transport;
  const specFile = join(input.dir, `${pipelineName(t, mode, input.round)}.json`);
  writeFileSync(specFile, JSON.stringify(ingestSpec(input, mode), null, 2) + "\n");
  const nc = await connectNats(input.url, "weir-bench-ingest-rows");
  let child: Child | null = null;
  try {
    const slowBefore = await input.server.slowConsumers();
    const rows = collectRows(nc, rowsSubject(t, mode, input.round), input.expected.rows);
    await nc.flush();

    const marks = { drops: 0, slow: 0 };
    let onDrop: () => void = () => {};
    const dropped = new Promise<void>((r) => (onDrop = r));
    const edge = spawnWeirEdge(specFile, input.url, {
      timeoutMs: PROCESS_LIMIT_MS,
      onLine: (line) => {
        if (line.includes("inbox full: dropping")) {
          marks.drops++;
          onDrop();
        } else if (line.includes('"msg":"slow consumer"')) marks.slow++;
      },
    });
    const proc = (child = edge.child);
    const runningAt = await edge.untilRunning(START_LIMIT_MS);
    const startupSeconds = (runningAt - edge.spawnedAt) / 1000;

    let pub: Publishing | null = null;
    let t0 = runningAt;
    if (t === "core") {
      pub = input.publisher!.publish(input.control, input.subject);
      t0 = pub.started;
    }
    log(`${name}: running after ${startupSeconds.toFixed(2)} s; waiting for ${input.expected.rows.toLocaleString("en-US")} rows`);
    // weir dropping core NATS messages: let the publisher finish, then stop weir and let the checks report the loss
    const lossy = dropped.then(async () => {
      await pub?.done.catch(() => undefined);
      await new Promise((r) => setTimeout(r, AFTER_DROPS_MS));
      return "lossy" as const;
    });
    const stalled = stall(rows, STALL_MS);
    const outcome = await Promise.race([rows.complete, lossy, stalled.promise, proc.exited.then(() => "exited" as const)]);
    stalled.cancel();
    if (outcome === "exited") throw new WeirError("BENCH_CHILD", `weir edge exited with ${rows.count()} of ${input.expected.rows} rows:\n${proc.tail()}`);
    if (outcome === "stalled") log(`${name}: no row for ${STALL_MS / 1000} s at ${rows.count()} of ${input.expected.rows}; stopping it`);
    const seconds = typeof outcome === "number" ? (outcome - t0) / 1000 : NaN;

    let publisher: PublisherReport | null = null;
    if (pub) publisher = await pub.done;
    const status = await proc.stop(STOP_GRACE_MS);
    if (status.code !== 0) throw new WeirError("BENCH_CHILD", `weir edge did not exit 0 after SIGTERM (${describeExit(status)}):\n${proc.tail()}`);
    const counters = edge.stopped;
    if (!counters) throw new WeirError("BENCH_CHILD", `weir edge exited without a "pipeline stopped" line:\n${proc.tail()}`);
    await nc.flush(); // rows weir flushed before it exited have reached this connection
    const sink = rows.totals();
    const weir: WeirFigures = {
      startupSeconds,
      recordsIn: counters.recordsIn,
      rowsOut: counters.rowsOut,
      late: counters.late,
      deadLettered: counters.deadLettered,
      sinkRows: sink.rows,
      sumN: sink.sumN,
      sumMax: sink.sumMax,
      sumAvg: sink.sumAvg,
      dropWarnings: marks.drops,
    };
    const serverSlowConsumers = (await input.server.slowConsumers()) - slowBefore;
    return { seconds, records: counters.recordsIn, messages: counters.recordsIn, slowConsumerEvents: marks.slow, serverSlowConsumers, publisher, weir };
  } finally {
    if (child && !child.hasExited()) await child.stop(5000);
    await nc.close();
  }
}

interface RowCollector {
  /** Resolves with performance.now() when the expected number of rows has arrived. */
  complete: Promise<number>;
  count(): number;
  /** Parses every row received (after the clock has stopped). */
  totals(): { rows: number; sumN: number; sumMax: number; sumAvg: number };
}

/** Subscribes to the rows subject; keeps the payloads unparsed while the clock runs. */
function collectRows(nc: NatsConnection, subject: string, expected: number): RowCollector {
  const payloads: Uint8Array[] = [];
  let onComplete: (at: number) => void = () => {};
  const complete = new Promise<number>((r) => (onComplete = r));
  nc.subscribe(subject, {
    callback: (err, m) => {
      if (err) return;
      payloads.push(m.data.slice());
      if (payloads.length === expected) onComplete(performance.now());
    },
  });
  return {
    complete,
    count: () => payloads.length,
    totals() {
      const dec = new TextDecoder();
      const t = { rows: 0, sumN: 0, sumMax: 0, sumAvg: 0 };
      for (const p of payloads) {
        const row = JSON.parse(dec.decode(p)) as { n: number; avg_temp: number; max_temp: number };
        t.rows++;
        t.sumN += row.n;
        t.sumMax += row.max_temp;
        t.sumAvg += row.avg_temp;
      }
      return t;
    },
  };
}

/** Resolves "stalled" when no row has arrived for `ms`, unless cancelled first. */
function stall(rows: RowCollector, ms: number): { promise: Promise<"stalled">; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<"stalled">((resolve) => {
    let seen = -1;
    let changedAt = Date.now();
    timer = setInterval(() => {
      if (rows.count() !== seen) {
        seen = rows.count();
        changedAt = Date.now();
      } else if (Date.now() - changedAt > ms) {
        clearInterval(timer);
        resolve("stalled");
      }
    }, 250);
  });
  return { promise, cancel: () => clearInterval(timer) };
}
