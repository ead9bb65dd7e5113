/**
 * The benchmark suite: `npm run bench [-- NAME...] [--quick]`. Runs every
 * benchmark, or the ones named, in this process. Exit codes: 0 done,
 * 1 a benchmark failed (e.g. its contenders disagree), 2 bad arguments.
 */
import { UsageError, WeirError } from "../src/index.js";
import type { Benchmark } from "./lib/benchmark.js";
import { stderrLog } from "./lib/log.js";
import { kernelBenchmark } from "./kernel/index.js";
import { edgeBenchmark } from "./edge/index.js";
import { ingestBenchmark } from "./ingest/index.js";
import { memoryBenchmark } from "./memory/index.js";
import { peersBenchmark } from "./peers/index.js";
import { latencyBenchmark } from "./latency/index.js";
import { startupBenchmark } from "./startup/index.js";

const BENCHMARKS: readonly Benchmark[] = [kernelBenchmark, edgeBenchmark, ingestBenchmark, peersBenchmark, memoryBenchmark, latencyBenchmark, startupBenchmark];

function usage(): string {
  return [
    "usage: npm run bench [-- [NAME...] [--quick]]",
    "",
    "  --quick   a tenth of the data: a smoke run (well under a minute)",
    "",
    "benchmarks:",
    ...BENCHMARKS.map((b) => `  ${b.name.padEnd(8)}  ${b.summary}`),
  ].join("\n");
}

function parse(argv: string[]): { names: Benchmark[]; quick: boolean } {
  let quick = false;
  const names: Benchmark[] = [];
  for (const a of argv) {
    if (a === "--quick") quick = true;
    else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else {
      const b = BENCHMARKS.find((x) => x.name === a);
      if (!b) throw new UsageError(`unknown benchmark "${a}"`);
      names.push(b);
    }
  }
  return { names: names.length > 0 ? names : [...BENCHMARKS], quick };
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(usage() + "\n");
    return 0;
  }
  let plan: ReturnType<typeof parse>;
  try {
    plan = parse(argv);
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n\n${usage()}\n`);
    return 2;
  }
  for (const b of plan.names) {
    stderrLog(`${b.name}: starting${plan.quick ? " (--quick)" : ""}`);
    try {
      await b.run({ quick: plan.quick, log: stderrLog });
    } catch (e) {
      const msg = e instanceof WeirError ? `${e.code}: ${e.message}` : ((e as Error)?.stack ?? String(e));
      process.stderr.write(`bench: ${b.name} FAILED: ${msg}\n`);
      return 1;
    }
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
