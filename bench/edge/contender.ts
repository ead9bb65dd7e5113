/** What each contender of the edge benchmark reports for one case. */
import type { EdgeCase } from "./cases.js";
import type { ExpectedOutcome } from "./data.js";

/** One case's input as the contenders see it: a filled stream on the private server. */
export interface CaseInput {
  case: EdgeCase;
  url: string;
  /** Records and messages in the stream. */
  records: number;
  messages: number;
  expected: ExpectedOutcome;
  /** A folder for files the contender writes (removed with the server). */
  dir: string;
}

export interface EdgeMeasurement {
  /** Seconds of the timed region (see the contender's `method`). */
  seconds: number;
  /** Records and messages the contender saw (checked against the input). */
  records: number;
  messages: number;
  /** weir-edge: result rows in the sink stream; null for a contender that writes nothing. */
  rowsOut: number | null;
  /** weir-edge: from spawn to its "pipeline running" line, not timed. */
  startupSeconds: number | null;
  /** weir-edge: from SIGTERM to exit (drain, checkpoint, flush), not timed. */
  stopSeconds: number | null;
  /** weir-edge: the process's peak resident memory (VmHWM), MiB. */
  peakRssMiB: number | null;
}

export interface EdgeContender {
  readonly name: string;
  /** What is timed and what is not, for the docs. */
  readonly method: string;
  /** Measures one case; throws a WeirError when it did not see the input whole. */
  run(input: CaseInput, log: (line: string) => void): Promise<EdgeMeasurement>;
}
