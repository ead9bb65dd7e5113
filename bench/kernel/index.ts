/**
 * `npm run bench -- kernel`: weir's kernels against hand-written JavaScript
 * and DuckDB on three window cases (cases.ts), over the same generated data.
 * Appends the run to bench/results/kernel.json and rewrites its section of
 * docs/benchmarks.md; a disagreement between contenders records nothing.
 */
import type { Benchmark, BenchmarkOptions } from "../lib/benchmark.js";
import { writeDocSection } from "../lib/docs.js";
import { describeMachine } from "../lib/machine.js";
import { benchmarksDoc, resultsFile } from "../lib/paths.js";
import { appendRun } from "../lib/results.js";
import { CASES } from "./cases.js";
import { allContenders } from "./contenders/index.js";
import { BATCH_RECORDS, FULL_SHAPE, generateData } from "./data.js";
import { measureKernel, ONE_ROUND, type KernelRounds } from "./measure.js";
import { kernelMarkdown, kernelText } from "./report.js";
import { kernelRun } from "./run-record.js";

/**
 * The full run repeats every contender whose run of a case takes under
 * 10 s (weir-wasm, DuckDB, naive-js on most cases) until it has run 3
 * times: on a shared machine one run can be tens of percent off.
 */
const FULL_ROUNDS: KernelRounds = { rounds: 3, repeatUnder: 10 };

export const kernelBenchmark: Benchmark = {
  name: "kernel",
  summary: "window aggregation over pre-decoded records: weir-wasm, weir-ts, naive JavaScript, DuckDB",
  async run({ quick, log }: BenchmarkOptions): Promise<void> {
    const machine = describeMachine();
    const shape = { ...FULL_SHAPE, records: quick ? FULL_SHAPE.records / 10 : FULL_SHAPE.records };
    log(`kernel: generating ${shape.records.toLocaleString("en-US")} records`);
    const data = generateData(shape);
    const contenders = allContenders();
    const rounds = quick ? ONE_ROUND : FULL_ROUNDS;
    const m = await measureKernel(data, contenders, CASES, log, rounds);
    const run = kernelRun(machine, quick, { ...shape, batchRecords: BATCH_RECORDS }, rounds, m);
    process.stdout.write(kernelText(run) + "\n");
    appendRun(resultsFile("kernel"), run);
    writeDocSection(benchmarksDoc(), "kernel", kernelMarkdown(run, contenders));
    log("kernel: appended to bench/results/kernel.json, rewrote its section of docs/benchmarks.md");
  },
};
