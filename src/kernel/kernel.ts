/**
 * The kernel contract: window assignment, keyed state, aggregation, firing
 * and eviction over column batches. The executors drive it; the reference
 * kernel (plain TypeScript) and the WASM kernel implement it, and one
 * contract test suite runs against both.
 *
 * Emission rules (docs/semantics.md): a *step* ends when the watermark may
 * have moved (after every record in continuous mode, after a batch in
 * micro-batch mode). At the end of a step, with `emit: final`, every window
 * that changed and is complete (`end - 1 <= W`) fires, in ascending window
 * end then key; `update` emits every window that changed; `complete` emits
 * every window in state. Then state with `end - 1 + L <= W` is freed.
 */
import type { ColumnBatch } from "../codec/column-batch.js";

/** One emitted window: its key, bounds and aggregate results (plan order). */
export interface FiredWindow {
  keyId: number;
  /** Time windows: `[start, end)` in epoch ms. Count windows: NaN. */
  start: number;
  end: number;
  /** Count windows: 0-based firing number of the key. Time windows: -1. */
  seq: number;
  values: (number | null)[];
}

export interface KernelOutput {
  /**
   * A window fired. `index` is the batch index of the record whose
   * processing emitted it, or -1 when a watermark step alone did.
   */
  fire(w: FiredWindow, index: number): void;
  /** Record `index` of the batch was dropped by every window it belongs to. */
  late(index: number): void;
}

export interface KernelStats {
  /** Windows (or panes) holding state. */
  openWindows: number;
  /** Bytes of state in use (estimated for the reference kernel). */
  stateBytes: number;
}

export interface WindowKernel {
  /**
   * Adds records [from, to) of `batch`, each judged against watermark `wm`
   * (micro-batch: the watermark from before the batch). Count windows fire
   * here, as their records arrive.
   */
  accumulate(batch: ColumnBatch, from: number, to: number, wm: number, out: KernelOutput): void;
  /** Ends a step at watermark `wm`: emits per the emit mode, then frees expired state. */
  step(wm: number, out: KernelOutput): void;
  /**
   * Continuous processing of records [from, to): record i is judged against
   * `wm[i - from]` and followed by a step at `wm[i - from + 1]` whose rows
   * carry index i. Results equal one record at a time, in one call.
   */
  continuous(batch: ColumnBatch, from: number, to: number, wm: Float64Array, out: KernelOutput): void;
  stats(): KernelStats;
}
