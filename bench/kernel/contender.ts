/** One implementation the kernel benchmark measures. */
import type { Log } from "../lib/log.js";
import type { KernelCase } from "./cases.js";
import type { KernelData } from "./data.js";
import type { Totals } from "./totals.js";

export interface Measurement {
  /** Seconds of the timed region only (see each contender's `method`). */
  seconds: number;
  totals: Totals;
  /** weir: kernel state bytes per open window, sampled where open windows peak; null where not measured. */
  bytesPerWindow: number | null;
}

/** What an untimed set-up reports, e.g. a database's load time. */
export interface SetUpInfo {
  version?: string;
  loadSeconds?: number;
}

export interface Contender {
  readonly name: string;
  /** How the contender is measured: what is timed and what is not (for the docs). */
  readonly method: string;
  /** Untimed preparation on the run's data. A throw makes the contender unavailable for every case. */
  setUp?(data: KernelData, log: Log): Promise<SetUpInfo>;
  /** Runs one case and measures it. A throw makes the contender unavailable for this case. */
  run(c: KernelCase, data: KernelData, log: Log): Promise<Measurement>;
  tearDown?(): Promise<void>;
}
