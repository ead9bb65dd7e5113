/**
 * `npm run bench -- memory`: what one `weir edge` process holds in memory,
 * idle and with 10k, 100k and 1M active keys (one open tumbling window
 * each), for scalar aggregates and with sketches. Appends the run to
 * bench/results/memory.json and rewrites its section of docs/benchmarks.md;
 * a run whose open windows differ from its keys fails and records nothing.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Benchmark, BenchmarkOptions } from "../lib/benchmark.js";
import { writeDocSection } from "../lib/docs.js";
import { describeMachine } from "../lib/machine.js";
import { benchmarksDoc, repoRoot, resultsFile } from "../lib/paths.js";
import { appendRun } from "../lib/results.js";
import { CHECKPOINT_INTERVAL, MEMORY_CASES } from "./cases.js";
import { measureCase, measureIdle } from "./measure.js";
import { memoryMarkdown, memoryText } from "./report.js";
import type { MemoryRun } from "./run-record.js";

const NAME = "memory";
const FULL_LEVELS = [10_000, 100_000, 1_000_000];
const QUICK_LEVELS = [10_000, 100_000];
/** Records per ingest request. */
const BATCH = 20_000;
/** The idle RSS target, in MB (10^6 bytes), as the startup benchmark judges it too. */
const IDLE_RSS_LIMIT_MB = 60;
const BYTES_PER_WINDOW_LIMIT = 64;

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(repoRoot(), "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

export const memoryBenchmark: Benchmark = {
  name: NAME,
  summary: "RSS and state bytes of one `weir edge` process, idle and with 10k–1M open (key, window) pairs (HTTP ingest)",
  async run({ quick, log }: BenchmarkOptions): Promise<void> {
    const started = performance.now();
    const machine = describeMachine();
    const levels = quick ? QUICK_LEVELS : FULL_LEVELS;
    const dir = mkdtempSync(join(tmpdir(), "weir-bench-memory-"));
    try {
      const idle = await measureIdle(MEMORY_CASES[0]!, dir, log);
      const cases = [];
      for (const c of MEMORY_CASES) cases.push(await measureCase(c, levels, BATCH, dir, log));
      const scalar = cases.find((c) => c.case === "scalar")!;
      const worst = Math.max(...scalar.levels.map((l) => l.bytesPerWindow));
      const idleMB = idle.rss / 1e6;
      const run: MemoryRun = {
        machine,
        quick,
        conditions: {
          levels,
          batch: BATCH,
          codec: "msgpack",
          windowMs: 60_000,
          checkpointInterval: CHECKPOINT_INTERVAL,
          gcHook: "bench/memory/gc-hook.ts",
          msgpackr: packageVersion("msgpackr"),
        },
        idle,
        cases,
        targets: {
          idleRss: { what: "idle RSS", unit: "MB", limit: IDLE_RSS_LIMIT_MB, value: idleMB, met: idleMB < IDLE_RSS_LIMIT_MB },
          bytesPerWindow: { what: "bytes per open (key, window), scalar aggregates", limit: BYTES_PER_WINDOW_LIMIT, value: worst, met: worst <= BYTES_PER_WINDOW_LIMIT },
        },
        seconds: (performance.now() - started) / 1000,
      };
      process.stdout.write(memoryText(run) + "\n");
      appendRun(resultsFile(NAME), run);
      writeDocSection(benchmarksDoc(), NAME, memoryMarkdown(run));
      log(`memory: appended to bench/results/memory.json, rewrote its section of docs/benchmarks.md`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
