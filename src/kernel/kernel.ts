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
import type { Aggregator } from "../aggregate/aggregators.js";
import type { ColumnBatch } from "../codec/column-batch.js";
import type { ColumnLayout } from "../codec/column-layout.js";
import type { PipelinePlan } from "../plan/plan.js";

/** One emitted window: its key, bounds and aggregate results (plan order). */
export interface FiredWindow {
  keyId: number;
  /** Time windows: `[start, end)` in epoch ms. Count windows: NaN. */
  start: number;
  end: number;
  /** Count windows: 0-based firing number of the key. Time windows: -1. */
  seq: number;
  values: (number | null)[];
  /** The window's state, each aggregator's partial form, when the kernel was asked for it (KernelContext.partials). */
  partials?: unknown[];
}

/**
 * Fired windows in bulk, as the WASM kernel's output region lays them out:
 * row r starts at word `r * rowWords` of `words` (f64 index `r * rowWords / 2`):
 * keyId (i32), record index (i32, -1 for a watermark step), start (f64),
 * end (f64), then one f64 per aggregate (NaN = null). Valid only during the call.
 */
export interface FiredRows {
  count: number;
  rowWords: number;
  words: Int32Array;
  f64: Float64Array;
}

export interface KernelOutput {
  /** Optional: takes a run of fired windows at once (kernels may call it instead of `fire`). */
  fireRows?(rows: FiredRows): void;
  /**
   * A window fired. `index` is the batch index of the record whose
   * processing emitted it, or -1 when a watermark step alone did. `w` is
   * only valid during the call (kernels may reuse it): copy what you keep.
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
  /** WASM kernel: slots in its (key, slice) hash tables, which grow by rehash. */
  tableSlots?: number;
  /** WASM kernel: bytes of linear memory, which grows between batches and never shrinks. */
  memoryBytes?: number;
}

/**
 * A kernel's state between steps, kernel-neutral: a snapshot written by one
 * kernel restores in the other. Window states are in the msgpack
 * partial-state format (src/aggregate/partial-state.ts). Whether a time
 * window has fired follows from the watermark: at a step boundary, a
 * window has fired iff `end - 1 <= W`.
 */
export interface KernelSnapshot {
  /** Arrival number of the next record (orders first/last across a restore). */
  seq: number;
  /** Time windows holding state (not past allowed lateness). */
  windows: { key: number; start: number; end: number; state: Uint8Array }[];
  /** Count windows per key: records and firings so far, and each count slice's state in ring order (null: unused). */
  counts: { key: number; total: number; fired: number; ring: (Uint8Array | null)[] }[];
}

export interface WindowKernel {
  /** The state at a step boundary. */
  snapshot(): KernelSnapshot;
  /** Loads a snapshot into a fresh kernel, whose watermark is `wm`. */
  restore(s: KernelSnapshot, wm: number): void;
  /**
   * Adds records [from, to) of `batch`, each judged against watermark `wm`
   * (micro-batch: the watermark from before the batch). Count windows fire
   * here, as their records arrive. Returns the largest event time among
   * the records (the watermark's input; the kernel reads every time anyway).
   */
  accumulate(batch: ColumnBatch, from: number, to: number, wm: number, out: KernelOutput): number;
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

/** What a kernel gets from the operator that hosts it. */
export interface KernelContext {
  aggregators: readonly Aggregator[];
  layout: ColumnLayout;
  /** Orders key ids by key value (the emission order within a window end). */
  compareKeys(a: number, b: number): number;
  /** Rank of each key id in key-value order (same order as compareKeys). */
  keyRanks(): Int32Array;
  /** Key ids handed out so far (ids are dense, from 0). */
  keyCount(): number;
  /** Fired time windows must carry their partial state (FiredWindow.partials). */
  partials?: boolean;
}

/** Builds a kernel for a plan. */
export type KernelFactory = (plan: PipelinePlan, ctx: KernelContext) => WindowKernel;

/** The largest of ts[from, to) (-Infinity when empty): for kernels that do not find it as they go. */
export function largestTime(ts: Float64Array, from: number, to: number): number {
  let m = -Infinity;
  for (let i = from; i < to; i++) if (ts[i]! > m) m = ts[i]!;
  return m;
}
