/** One run of the peers benchmark as `bench/results/peers.json` keeps it (in `runs`, newest last). */
import type { EdgeDataShape } from "../edge/data.js";
import type { Machine } from "../lib/machine.js";

/** The input stream every contender reads (filled before anything is timed) and what a correct pipeline emits from it. */
export interface PeerInput {
  records: number;
  messages: number;
  bytes: number;
  recordsPerMessage: number;
  publishSeconds: number;
  /** Rows (device × closed window), Σ n over them, closed windows. */
  expectedRows: number;
  expectedSumN: number;
  closedWindows: number;
}

/** One timed run of one contender. */
export interface PeerMeasurement {
  /** From its "reading" line to the arrival of the last expected row. */
  seconds: number;
  recordsPerSec: number;
  rowsPerSec: number;
  /** From spawn to its "reading" line (not timed). */
  startupSeconds: number;
  /** The process's VmHWM when the last row arrived. */
  peakRssMiB: number | null;
  /** Rows equal to the expected ones, and Σ n over the rows received. */
  rowsEqual: number;
  sumN: number;
}

/**
 * ok: every run produced the expected rows; disagrees: its rows differ
 * (no figure is comparable); failed: it crashed or stalled; unavailable:
 * it cannot run on this machine (reason says why).
 */
export type PeerStatus = "ok" | "disagrees" | "failed" | "unavailable";

export interface PeerResult {
  impl: string;
  status: PeerStatus;
  reason: string | null;
  /** One per round that completed, in order. */
  runs: PeerMeasurement[];
}

export interface PeersRun {
  machine: Machine;
  /** `--quick`: a tenth of the records, one round. */
  quick: boolean;
  data: EdgeDataShape;
  rounds: number;
  input: PeerInput;
  versions: { natsServer: string; natsJs: string; msgpackr: string; rxjs: string; nodeRed: string };
  /** How records travel and how rows leave, in words. */
  conditions: string[];
  results: PeerResult[];
}

