/**
 * The run history of a benchmark, `bench/results/<name>.json`:
 * `{ "runs": [run, ...] }`, oldest first. Every run is kept (a run records
 * its machine and whether it was `--quick`), so a change shows up as a step
 * between neighbouring runs on the same machine. The file is replaced
 * atomically: a run interrupted while writing leaves only a `.tmp` behind.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { WeirError } from "../../src/index.js";

export interface RunHistory<R> {
  runs: R[];
}

export function readRuns<R>(file: string): RunHistory<R> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return { runs: [] };
  }
  const parsed = JSON.parse(text) as Partial<RunHistory<R>>;
  if (!Array.isArray(parsed.runs)) throw new WeirError("BENCH_RESULTS", `${file}: expected {"runs": [...]}`);
  return { runs: parsed.runs };
}

/** Appends `run` as the newest run of `file` and returns the history. */
export function appendRun<R>(file: string, run: R): RunHistory<R> {
  const history = readRuns<R>(file);
  history.runs.push(run);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(history, null, 2) + "\n");
  renameSync(`${file}.tmp`, file);
  return history;
}
