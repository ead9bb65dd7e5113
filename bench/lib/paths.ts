/** Files the suite reads and writes, found from the repository root whether run from bench/ (vitest) or dist/bench/ (node). */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The nearest folder above this file holding package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

/** `bench/results/<name>.json`: the run history of one benchmark. */
export const resultsFile = (name: string): string => join(repoRoot(), "bench", "results", `${name}.json`);

/** `docs/benchmarks.md`: conditions and tables of every benchmark's newest run. */
export const benchmarksDoc = (): string => join(repoRoot(), "docs", "benchmarks.md");
