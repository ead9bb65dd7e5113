/** What `bench/run.ts` dispatches to: one named benchmark of the suite. */
import type { Log } from "./log.js";

export interface BenchmarkOptions {
  /** Run a tenth of the data: a smoke run that finishes in well under a minute. */
  quick: boolean;
  log: Log;
}

export interface Benchmark {
  name: string;
  /** One line for `npm run bench -- --help`. */
  summary: string;
  /** Measures, checks, prints results on stdout and records them. Throws a WeirError when results disagree. */
  run(opts: BenchmarkOptions): Promise<void>;
}
