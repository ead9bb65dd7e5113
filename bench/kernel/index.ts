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
import { measureKernel } from "./measure.js";
import { kernelMarkdown, kernelText } from "./report.js";
import { kernelRun } from "./run-record.js";

export const kernelBenchmark: Benchmark = {
  name: "kernel",
  summary: "window aggregation over pre-decoded records: weir-wasm, weir-ts, naive JavaScript, DuckDB",
  async run({ quick, log }: BenchmarkOptions): Promise<void> {
    const machine = describeMachine();
    const shape = { ...FULL_SHAPE, records: quick ? FULL_SHAPE.records / 10 : FULL_SHAPE.records };
    log(`kernel: generating ${shape.records.toLocaleString("en-US")} records`);
    const data = generateData(shape);
    const contenders = allContenders();
    const m = await measureKernel(data, contenders, CASES, log);
    const run = kernelRun(machine, quick, { ...shape, batchRecords: BATCH_RECORDS }, m);
    process.stdout.write(kernelText(run) + "\n");
    appendRun(resultsFile("kernel"), run);
    writeDocSection(benchmarksDoc(), "kernel", kernelMarkdown(run, contenders));
    log("kernel: appended to bench/results/kernel.json, rewrote its section of docs/benchmarks.md");
  },
};
