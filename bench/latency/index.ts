/**
 * `npm run bench -- latency`: how long after a window closes its result rows
 * reach the sink, for one `weir edge` pipeline on core NATS at fixed input
 * rates, in continuous and in micro-batch mode (measure.ts). Appends the run
 * to bench/results/latency.json and rewrites its section of docs/benchmarks.md.
 *
 * Set WEIR_BENCH_CPU_PROF=<dir> to run `weir edge` under `node --cpu-prof`
 * (a profile per mode in <dir>; the figures are then not representative),
 * and WEIR_BENCH_CPU_PROF_INTERVAL=<µs> to sample more often than every 1 ms.
 */
import { connectNats } from "../../edge/nats/connection.js";
import { PrivateNatsServer } from "../edge/nats-server.js";
import type { Benchmark, BenchmarkOptions } from "../lib/benchmark.js";
import { writeDocSection } from "../lib/docs.js";
import { describeMachine } from "../lib/machine.js";
import { benchmarksDoc, resultsFile } from "../lib/paths.js";
import { appendRun } from "../lib/results.js";
import { measureMode, type LatencyMode, type LatencyPlan, type ModeMeasurement } from "./measure.js";
import { packageVersion } from "./proc.js";
import { latencyMarkdown, latencyText } from "./report.js";
import { latencyRun } from "./run-record.js";

const MODES: readonly LatencyMode[] = ["continuous", "micro-batch", "echo"];

export function latencyPlan(quick: boolean): LatencyPlan {
  return {
    keys: 300,
    warmup: { rate: 10_000, seconds: quick ? 1 : 2, measured: false },
    rates: [1_000, 10_000, 50_000],
    seconds: quick ? 3 : 10,
    triggerMs: 100,
    cpuProfileDir: process.env.WEIR_BENCH_CPU_PROF || undefined,
    cpuProfileIntervalUs: Number(process.env.WEIR_BENCH_CPU_PROF_INTERVAL) || undefined,
  };
}

export const latencyBenchmark: Benchmark = {
  name: "latency",
  summary: "window close → result row of one `weir edge` pipeline on core NATS at 1k/10k/50k msgs/s (continuous, micro-batch, bare echo)",
  async run({ quick, log }: BenchmarkOptions): Promise<void> {
    const machine = describeMachine();
    const plan = latencyPlan(quick);
    const server = await PrivateNatsServer.start();
    log(`latency: nats-server at ${server.url}`);
    const modes: ModeMeasurement[] = [];
    let natsServer = "unknown";
    try {
      const nc = await connectNats(server.url, "weir-bench-latency-info");
      natsServer = nc.info?.version ?? "unknown";
      await nc.close();
      for (const mode of MODES) {
        log(`latency/${mode}: starting weir edge`);
        modes.push(await measureMode(server.url, server.dir, mode, plan, log));
      }
    } finally {
      await server.stop();
    }
    const run = latencyRun(machine, quick, plan, { natsServer, natsJs: packageVersion("@nats-io/transport-node"), msgpackr: packageVersion("msgpackr") }, modes);
    process.stdout.write(latencyText(run) + "\n");
    appendRun(resultsFile("latency"), run);
    writeDocSection(benchmarksDoc(), "latency", latencyMarkdown(run));
    log("latency: appended to bench/results/latency.json, rewrote its section of docs/benchmarks.md");
  },
};
