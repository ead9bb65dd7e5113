/**
 * The reference kernel for count windows (docs/semantics.md "count
 * windows"): per key, in arrival order, fire every `slide` records with the
 * last (at most) `size` records, as Flink's countWindow(size, slide) does
 * (a count trigger plus a count evictor). Tumbling count windows
 * (slide == size) accumulate and purge; sliding ones keep the last `size`
 * records of the key in a ring and aggregate them at each firing. Count
 * windows ignore the watermark: they are never late and never fire
 * incomplete, so watermark steps do nothing here.
 */
import type { Aggregator } from "../../aggregate/aggregators.js";
import { ColumnBatch } from "../../codec/column-batch.js";
import type { ColumnLayout } from "../../codec/column-layout.js";
import type { CountWindowPlan } from "../../plan/plan.js";
import type { KernelOutput, KernelStats, WindowKernel } from "../kernel.js";

interface KeyState {
  /** Records of the key so far. */
  total: number;
  /** Firings so far: the next window_seq. */
  fired: number;
  /** Tumbling: accumulators of the records since the last firing. */
  accs: unknown[] | null;
  /** Sliding: the last `size` records and their arrival numbers. */
  ring: ColumnBatch | null;
  ringSeq: Float64Array | null;
}

export class ReferenceCountWindowKernel implements WindowKernel {
  private seq = 0;
  private readonly keys = new Map<number, KeyState>();
  private readonly tumbling: boolean;

  constructor(
    private readonly window: CountWindowPlan,
    private readonly aggs: readonly Aggregator[],
    private readonly layout: ColumnLayout,
  ) {
    this.tumbling = window.slide === window.size;
  }

  accumulate(b: ColumnBatch, from: number, to: number, _wm: number, out: KernelOutput): void {
    for (let i = from; i < to; i++) this.add(b, i, out);
  }

  step(): void {}

  continuous(b: ColumnBatch, from: number, to: number, _wm: Float64Array, out: KernelOutput): void {
    for (let i = from; i < to; i++) this.add(b, i, out);
  }

  stats(): KernelStats {
    let bytes = 0;
    for (const s of this.keys.values()) bytes += 64 + (s.ring ? s.ring.capacity * (16 + 8 * s.ring.num.length) : 48 * this.aggs.length);
    return { openWindows: this.keys.size, stateBytes: bytes };
  }

  private add(b: ColumnBatch, i: number, out: KernelOutput): void {
    const keyId = b.keyId[i]!;
    let s = this.keys.get(keyId);
    if (!s) this.keys.set(keyId, (s = this.newKey()));
    const seq = this.seq++;
    s.total++;
    if (this.tumbling) {
      for (let k = 0; k < this.aggs.length; k++) this.aggs[k]!.add(s.accs![k], b, i, seq);
      if (s.total % this.window.size === 0) {
        this.fire(keyId, s, s.accs!, out, i);
        s.accs = this.aggs.map((a) => a.create());
      }
      return;
    }
    const at = (s.total - 1) % this.window.size;
    s.ring!.setRecord(at, b, i);
    s.ringSeq![at] = seq;
    if (s.total % this.window.slide === 0) {
      const n = Math.min(s.total, this.window.size);
      const first = s.total > this.window.size ? s.total % this.window.size : 0;
      const accs = this.aggs.map((a) => a.create());
      for (let j = 0; j < n; j++) {
        const r = (first + j) % this.window.size;
        for (let k = 0; k < this.aggs.length; k++) this.aggs[k]!.add(accs[k], s.ring!, r, s.ringSeq![r]!);
      }
      this.fire(keyId, s, accs, out, i);
    }
  }

  private fire(keyId: number, s: KeyState, accs: unknown[], out: KernelOutput, index: number): void {
    out.fire({ keyId, start: NaN, end: NaN, seq: s.fired++, values: this.aggs.map((a, k) => a.result(accs[k])) }, index);
  }

  private newKey(): KeyState {
    if (this.tumbling) return { total: 0, fired: 0, accs: this.aggs.map((a) => a.create()), ring: null, ringSeq: null };
    const ring = new ColumnBatch(this.layout, this.window.size);
    ring.length = this.window.size;
    return { total: 0, fired: 0, accs: null, ring, ringSeq: new Float64Array(this.window.size) };
  }
}
