/** One run of the edge benchmark as `bench/results/edge.json` keeps it (in `runs`, newest last). */
import type { Machine } from "../lib/machine.js";
import type { EdgeCaseName } from "./cases.js";
import type { EdgeMeasurement } from "./contender.js";
import type { EdgeDataShape, ExpectedOutcome } from "./data.js";
import type { Published } from "./publish.js";

/** A case's input: what was published (untimed) and what a correct pipeline emits from it. */
export interface EdgeCaseRecord {
  case: EdgeCaseName;
  title: string;
  recordsPerMessage: number;
  records: number;
  messages: number;
  bytes: number;
  /** Publishing the stream before timing: seconds and messages/s. */
  publishSeconds: number;
  publishMessagesPerSec: number;
  /** Windows the data closes, result rows they hold, Σ n over those rows. */
  firedWindows: number;
  expectedRows: number;
  expectedSumN: number;
}

export interface EdgeResult {
  case: EdgeCaseName;
  impl: string;
  seconds: number;
  recordsPerSec: number;
  messagesPerSec: number;
  /** weir-edge only (null otherwise): rows written, their rate over the timed seconds, and untimed extras. */
  rowsOut: number | null;
  rowsPerSec: number | null;
  startupSeconds: number | null;
  stopSeconds: number | null;
  peakRssMiB: number | null;
}

export interface EdgeRun {
  machine: Machine;
  /** `--quick`: a tenth of the records. */
  quick: boolean;
  data: EdgeDataShape;
  versions: { natsServer: string; natsJs: string; msgpackr: string };
  cases: EdgeCaseRecord[];
  results: EdgeResult[];
}

const round = (x: number | null, digits: number) => (x === null ? null : Number(x.toFixed(digits)));

export function caseRecord(c: { name: EdgeCaseName; title: string; recordsPerMessage: number }, p: Published, e: ExpectedOutcome): EdgeCaseRecord {
  return {
    case: c.name,
    title: c.title,
    recordsPerMessage: c.recordsPerMessage,
    records: p.records,
    messages: p.messages,
    bytes: p.bytes,
    publishSeconds: round(p.seconds, 3)!,
    publishMessagesPerSec: Math.round(p.messages / p.seconds),
    firedWindows: e.windows,
    expectedRows: e.rows,
    expectedSumN: e.sumN,
  };
}

export function edgeResult(caseName: EdgeCaseName, impl: string, input: { records: number; messages: number }, m: EdgeMeasurement): EdgeResult {
  return {
    case: caseName,
    impl,
    seconds: round(m.seconds, 3)!,
    recordsPerSec: Math.round(input.records / m.seconds),
    messagesPerSec: Math.round(input.messages / m.seconds),
    rowsOut: m.rowsOut,
    rowsPerSec: m.rowsOut === null ? null : Math.round(m.rowsOut / m.seconds),
    startupSeconds: round(m.startupSeconds, 3),
    stopSeconds: round(m.stopSeconds, 3),
    peakRssMiB: round(m.peakRssMiB, 1),
  };
}
