/**
 * `npm run bench -- peers`: the benchmark's event-time pipeline (per
 * device, tumbling 10 s windows, count/avg/max) in `weir edge`, in an RxJS
 * pipeline and in a Node-RED flow, each reading the same pre-filled
 * JetStream stream and publishing its rows to NATS. Prints a table, appends
 * the run to bench/results/peers.json and rewrites its section of
 * docs/benchmarks.md. weir's rows must be the expected ones (else the run
 * fails); a peer whose rows differ is reported as disagreeing, with no figure.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FULL_SHAPE } from "../edge/data.js";
import type { Benchmark, BenchmarkOptions } from "../lib/benchmark.js";
import { writeDocSection } from "../lib/docs.js";
import { describeMachine } from "../lib/machine.js";
import { benchmarksDoc, repoRoot, resultsFile } from "../lib/paths.js";
import { appendRun } from "../lib/results.js";
import { writeChart } from "../lib/svg.js";
import { MAX_IN_FLIGHT, PEERS } from "./contenders.js";
import { INPUT_CASE, measurePeers } from "./measure.js";
import { chartBars, peersMarkdown, peersText } from "./report.js";
import type { PeersRun } from "./run-record.js";

/** 1,000 devices: about 0.1 rows per record. */
const DEVICES = 1000;
const FULL_RECORDS = 1_000_000;
const FULL_ROUNDS = 3;

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(repoRoot(), "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "not installed";
  }
}

export const peersBenchmark: Benchmark = {
  name: "peers",
  summary: "the same event-time pipeline in `weir edge`, RxJS and Node-RED, on one pre-filled JetStream stream",
  async run({ quick, log }: BenchmarkOptions): Promise<void> {
    const machine = describeMachine();
    const shape = { ...FULL_SHAPE, devices: DEVICES, records: quick ? FULL_RECORDS / 10 : FULL_RECORDS };
    const rounds = quick ? 1 : FULL_ROUNDS;
    const m = await measurePeers(shape, PEERS, rounds, log);
    const run: PeersRun = {
      machine,
      quick,
      data: shape,
      rounds,
      input: m.input,
      versions: {
        natsServer: m.natsServer,
        natsJs: packageVersion("@nats-io/jetstream"),
        msgpackr: packageVersion("msgpackr"),
        rxjs: packageVersion("rxjs"),
        nodeRed: packageVersion("node-red"),
      },
      conditions: [
        `input: JetStream stream ${INPUT_CASE.stream} (file storage) filled before timing, ${INPUT_CASE.recordsPerMessage} records per message as a msgpack array`,
        `each contender: its own process and durable pull consumer from the first message, at most ${MAX_IN_FLIGHT} messages held in the client`,
        "output: one JSON row per core NATS message, on a subject per run, collected by the benchmark",
        "clock: from the contender's reading line to the arrival of the last expected row",
        `rounds: weir-edge, rxjs, node-red in turn, ${rounds} time(s); medians reported`,
      ],
      results: m.results,
    };
    process.stdout.write(peersText(run) + "\n");
    appendRun(resultsFile("peers"), run);
    const chart = writeChart("peers", {
      title: `Event-time windows from JetStream: records/s${quick ? " (--quick)" : ""}`,
      unit: `records/s, ${run.input.records.toLocaleString("en-US")} records, ${DEVICES.toLocaleString("en-US")} devices, tumbling 10 s`,
      bars: chartBars(run),
    });
    writeDocSection(benchmarksDoc(), "peers", peersMarkdown(run, PEERS, chart));
    log("peers: appended to bench/results/peers.json, rewrote its section of docs/benchmarks.md and docs/img/bench-peers.svg");
  },
};
