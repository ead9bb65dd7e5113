/**
 * The two executors over one operator core (docs/semantics.md "Micro-batch
 * vs continuous"). Both take the same calls; they differ only in when a
 * step ends and the watermark may advance.
 *
 * - continuous (Flink): after every record, even when records arrive in
 *   chunks; results equal one-record-at-a-time processing.
 * - micro-batch (Spark): a batch is what arrived between two `endBatch`
 *   calls (a trigger interval, or one replay file); its records are judged
 *   against the watermark from before it, which advances once at its end.
 */
import type { ColumnBatch } from "../codec/column-batch.js";
import type { Mode } from "../plan/plan.js";
import type { WindowOperator } from "./window-operator.js";

export interface Executor {
  readonly mode: Mode;
  /** Records arrived, decoded into a batch (which the caller may reuse afterwards). */
  push(batch: ColumnBatch): void;
  /** Micro-batch: the current batch is complete. Continuous: nothing to do. */
  endBatch(): void;
  /** Processing time passed without records: idle inputs may release the watermark. */
  tick(): void;
  /** End of a bounded input: applies `endOfInput`. */
  end(): void;
  /** Records pushed (continuous) or batches completed (micro-batch) so far. */
  readonly position: number;
}

export class ContinuousExecutor implements Executor {
  readonly mode = "continuous" as const;
  position: number;
  /** Continues a restored operator's numbering (records so far). */
  constructor(private readonly op: WindowOperator) {
    this.position = op.counters.recordsIn;
  }

  push(batch: ColumnBatch): void {
    this.op.processContinuous(batch, this.position);
    this.position += batch.length;
  }

  endBatch(): void {}

  tick(): void {
    this.op.tick(Math.max(0, this.position - 1));
  }

  end(): void {
    this.op.endOfInput();
  }
}

export class MicroBatchExecutor implements Executor {
  readonly mode = "micro-batch" as const;
  position: number;
  private open = false;
  /** Continues a restored operator's numbering (batches so far). */
  constructor(private readonly op: WindowOperator) {
    this.position = op.counters.batches;
  }

  push(batch: ColumnBatch): void {
    this.open = true;
    this.op.accumulate(batch, this.position);
  }

  endBatch(): void {
    this.op.endBatch(this.position++);
    this.open = false;
  }

  /** The watermark moves only at batch ends in this mode. */
  tick(): void {}

  end(): void {
    if (this.open) this.endBatch();
    this.op.endOfInput();
  }
}

export function createExecutor(op: WindowOperator): Executor {
  return op.plan.mode === "continuous" ? new ContinuousExecutor(op) : new MicroBatchExecutor(op);
}
