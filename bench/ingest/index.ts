/**
 * `npm run bench -- ingest`: how many records per second one `weir edge`
 * pipeline takes in when every message carries one msgpack record, in
 * micro-batch and continuous mode, next to bare nats.js consumers that
 * only count the messages (the ceiling) or also decode them, on JetStream
 * and on core NATS. Appends the run to bench/results/ingest.json and
 * rewrites its section of docs/benchmarks.md (with a chart of the ratios);
 * a contender that does not take in the whole input records nothing.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Benchmark, BenchmarkOptions } from "../lib/benchmark.js";
import { writeDocSection } from "../lib/docs.js";
import { describeMachine } from "../lib/machine.js";
import { benchmarksDoc, repoRoot, resultsFile } from "../lib/paths.js";
import { appendRun } from "../lib/results.js";
import { writeChart } from "../lib/svg.js";
import { MAX_OUT_OF_ORDERNESS_MS, WINDOW_MS } from "../edge/data.js";
import { bareContender, MAX_MESSAGES, SLOW_PENDING } from "./bare.js";
import type { IngestContender, Transport } from "./contender.js";
import { FULL_SHAPE, USE_RECORDS } from "./data.js";
import { measureIngest } from "./measure.js";
import { chartBars, ingestMarkdown, ingestText } from "./report.js";
import { judgeTargets, type IngestRun } from "./run-record.js";
import { MAX_PENDING, WRITE_DEADLINE } from "./server.js";
import { AGGREGATES, CHECKPOINT_INTERVAL, MICRO_BATCH_TRIGGER, weirContender } from "./weir.js";

const NAME = "ingest";
/**
 * Each contender's run, ~1 to 7 s, swings by tens of percent on a shared
 * machine from one run to the next: the full benchmark runs the contenders
 * in turn several times and reports medians (`--quick`: once). Core NATS
 * runs last about a second and share two cores among three processes
 * (publisher, server, consumer): they swing the most and cost the least.
 */
const ROUNDS: Record<Transport, number> = { jetstream: 3, core: 5 };
const ONCE: Record<Transport, number> = { jetstream: 1, core: 1 };
const TRANSPORTS: readonly Transport[] = ["jetstream", "core"];

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(repoRoot(), "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

export const ingestBenchmark: Benchmark = {
  name: NAME,
  summary: "one record per message: `weir edge` (micro-batch, continuous) vs bare nats.js consumers, JetStream and core NATS",
  async run({ quick, log }: BenchmarkOptions): Promise<void> {
    const machine = describeMachine();
    const shape = { ...FULL_SHAPE, records: quick ? FULL_SHAPE.records / 10 : FULL_SHAPE.records };
    const contenders: IngestContender[] = [bareContender(false), bareContender(true), weirContender("micro-batch"), weirContender("continuous")];
    const rounds = quick ? ONCE : ROUNDS;
    const m = await measureIngest(shape, contenders, TRANSPORTS, rounds, log);
    const run: IngestRun = {
      machine,
      quick,
      data: shape,
      conditions: {
        rounds,
        records: shape.records,
        messages: shape.records,
        bytes: m.bytes,
        bytesPerMessage: Number((m.bytes / shape.records).toFixed(1)),
        codec: `msgpack (msgpackr, ${USE_RECORDS ? "record structures" : "plain maps"})`,
        recordStructures: USE_RECORDS,
        fields: ["deviceId", "ts", "temp", "humidity", "site"],
        keys: shape.devices,
        key: "deviceId",
        window: `tumbling ${WINDOW_MS / 1000} s`,
        aggregates: { ...AGGREGATES },
        maxOutOfOrderness: `${MAX_OUT_OF_ORDERNESS_MS / 1000} s`,
        eventRecordsPerSecond: shape.devices,
        closedWindows: m.expected.windows,
        expectedRows: m.expected.rows,
        expectedSumN: m.expected.sumN,
        modes: [
          { mode: "micro-batch", trigger: MICRO_BATCH_TRIGGER },
          { mode: "continuous", trigger: null },
        ],
        sink: "a core NATS subject (JSON, one message per row)",
        checkpointInterval: CHECKPOINT_INTERVAL,
        maxInFlight: MAX_MESSAGES,
        core: { maxPending: MAX_PENDING, writeDeadline: WRITE_DEADLINE, publisher: "NATS protocol laid out before timing, written to a TCP socket at full speed", slowPending: SLOW_PENDING },
      },
      versions: { natsServer: m.natsServer, natsJs: packageVersion("@nats-io/jetstream"), msgpackr: packageVersion("msgpackr") },
      jetstreamFill: m.jetstreamFill,
      results: m.results,
      targets: judgeTargets(m.results),
    };
    process.stdout.write(ingestText(run) + "\n");
    appendRun(resultsFile(NAME), run);
    const chart = writeChart(NAME, {
      title: `ingest: records/s as a share of (a), one record per message${quick ? " (--quick)" : ""}`,
      unit: "× (a) nats.js count, same transport",
      bars: chartBars(run),
    });
    writeDocSection(benchmarksDoc(), NAME, ingestMarkdown(run, contenders, chart));
    log(`${NAME}: appended to bench/results/${NAME}.json, rewrote its section of docs/benchmarks.md and docs/img/bench-${NAME}.svg`);
  },
};
