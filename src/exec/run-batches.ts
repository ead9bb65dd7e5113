/**
 * Runs a plan over records held in memory: the library counterpart of
 * `weir run`, and what the semantic tests use. Each inner array is one
 * micro-batch; in continuous mode they are read in order as one stream.
 */
import { createExecutor } from "./executors.js";
import type { ResultRow } from "./result-row.js";
import { WindowOperator, type Counters, type EmitPoint, type OperatorOptions } from "./window-operator.js";
import type { PipelinePlan } from "../plan/plan.js";

export interface RunResult {
  /** Result rows in the order they were produced, with `emitted_at`. */
  rows: (ResultRow & { emitted_at: EmitPoint })[];
  /** Records dropped as late, as they came in. */
  late: unknown[];
  /** Records that could not be used, with the reason. */
  deadLetters: { record: unknown; reason: string }[];
  counters: Counters;
}

export interface RunOptions extends OperatorOptions {
  /** Records handed to the executor per call (default: a whole batch). Results must not depend on it. */
  chunkSize?: number;
}

/**
 * @example
 * runBatches(plan, [[{ deviceId: "a", ts: 0, temp: 20 }]]).rows
 */
export function runBatches(plan: PipelinePlan, batches: readonly (readonly unknown[])[], opts: RunOptions = {}): RunResult {
  const result: RunResult = { rows: [], late: [], deadLetters: [], counters: undefined as unknown as Counters };
  const op = new WindowOperator(
    plan,
    {
      row: (row, at) => result.rows.push({ ...row, emitted_at: at }),
      late: (raw) => result.late.push(raw),
    },
    opts,
  );
  const exec = createExecutor(op);
  const chunk = Math.max(1, opts.chunkSize ?? Infinity);
  const batch = op.newBatch(Math.min(4096, Number.isFinite(chunk) ? chunk : 4096));
  for (const records of batches) {
    for (const record of records) {
      const problem = op.decode(batch, record, record);
      if (problem !== null) result.deadLetters.push({ record, reason: problem });
      if (batch.length >= chunk) {
        exec.push(batch);
        batch.clear();
      }
    }
    if (batch.length > 0) exec.push(batch);
    batch.clear();
    exec.endBatch();
  }
  exec.end();
  result.counters = { ...op.counters };
  return result;
}
