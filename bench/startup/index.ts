/**
 * `npm run bench -- startup`: spawn → first result row of `weir edge` with
 * one pipeline, next to bare Node.js and a bare nats.js client, and the
 * idle memory of each (measure.ts). Appends the run to
 * bench/results/startup.json and rewrites its section of docs/benchmarks.md.
 */
import { connectNats } from "../../edge/nats/connection.js";
import { PrivateNatsServer } from "../edge/nats-server.js";
import type { Benchmark, BenchmarkOptions } from "../lib/benchmark.js";
import { writeDocSection } from "../lib/docs.js";
import { describeMachine } from "../lib/machine.js";
import { benchmarksDoc, resultsFile } from "../lib/paths.js";
import { appendRun } from "../lib/results.js";
import { packageVersion } from "../latency/proc.js";
import { CONTENDERS, fillStream, KEYS, runOnce, SETTLE_MS, type StartupSample } from "./measure.js";
import { rssTarget, startupMarkdown, startupText, summarize, type StartupRun } from "./report.js";

const WARMUP_ROUNDS = 1;

const r1 = (x: number | null) => (x === null ? null : Number(x.toFixed(1)));

export const startupBenchmark: Benchmark = {
  name: "startup",
  summary: "spawn → first result row of `weir edge` (one pipeline) and its idle RSS, next to bare node and a bare nats.js client",
  async run({ quick, log }: BenchmarkOptions): Promise<void> {
    const machine = describeMachine();
    const runs = quick ? 3 : 5;
    const server = await PrivateNatsServer.start();
    log(`startup: nats-server at ${server.url}`);
    const samples: StartupSample[] = [];
    let natsServer = "unknown";
    let streamMessages = 0;
    try {
      const nc = await connectNats(server.url, "weir-bench-startup");
      try {
        natsServer = nc.info?.version ?? "unknown";
        streamMessages = await fillStream(nc);
        for (let round = -WARMUP_ROUNDS; round < runs; round++) {
          for (const contender of CONTENDERS) {
            const s = await runOnce(nc, server.url, server.dir, contender, `r${round + WARMUP_ROUNDS}-${contender.replace(/\W/g, "")}`);
            const rss = s.idleRssMiB === null ? "" : `, idle RSS ${s.idleRssMiB.toFixed(1)} MiB`;
            log(`startup: ${round < 0 ? "warm-up" : `run ${round + 1}/${runs}`}: ${contender}: first result after ${s.firstResultMs.toFixed(0)} ms${rss}`);
            if (round >= 0) samples.push(s);
          }
        }
      } finally {
        await nc.close();
      }
    } finally {
      await server.stop();
    }
    const summary = summarize(samples, CONTENDERS);
    const run: StartupRun = {
      machine,
      quick,
      conditions: { runs, warmupRounds: WARMUP_ROUNDS, settleMs: SETTLE_MS, keys: KEYS, streamMessages },
      versions: { natsServer, natsJs: packageVersion("@nats-io/transport-node"), msgpackr: packageVersion("msgpackr") },
      samples: samples.map((s) => ({
        ...s,
        firstResultMs: Number(s.firstResultMs.toFixed(1)),
        readyLineMs: s.readyLineMs === null ? null : Number(s.readyLineMs.toFixed(1)),
        idleRssMiB: r1(s.idleRssMiB),
        anonRssMiB: r1(s.anonRssMiB),
        fileRssMiB: r1(s.fileRssMiB),
        peakRssMiB: r1(s.peakRssMiB),
      })),
      summary,
      target: rssTarget(summary),
    };
    process.stdout.write(startupText(run) + "\n");
    appendRun(resultsFile("startup"), run);
    writeDocSection(benchmarksDoc(), "startup", startupMarkdown(run));
    log("startup: appended to bench/results/startup.json, rewrote its section of docs/benchmarks.md");
  },
};
