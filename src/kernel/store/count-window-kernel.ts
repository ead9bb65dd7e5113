/**
 * Count windows (docs/semantics.md "count windows"): per key, in arrival
 * order, fire every `slide` records with the last (at most) `size` records,
 * as Flink's countWindow(size, slide) does (a count trigger plus a count
 * evictor). Count windows ignore the watermark: they are never late and
 * never fire incomplete, so watermark steps do nothing here.
 *
 * Records are sliced by count: with g = gcd(size, slide), each key keeps a
 * ring of size / g slots of g consecutive records; a firing merges the
 * slots holding the last min(size, total) records. Tumbling count windows
 * (slide == size) are the case of one slot, fired and reset.
 */
import type { CountWindowPlan } from "../../plan/plan.js";
import type { AccumulatorStore } from "./accumulator-store.js";
import type { ColumnBatch } from "../../codec/column-batch.js";
import { largestTime, type KernelOutput, type KernelSnapshot, type KernelStats, type WindowKernel } from "../kernel.js";

interface KeyState {
  /** Records of the key so far. */
  total: number;
  /** Firings so far: the next window_seq. */
  fired: number;
  /** Slot of count slice j at ring[j % ring.length]; -1 before first use. */
  ring: number[];
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export class CountWindowKernel implements WindowKernel {
  private seq = 0;
  private readonly keys = new Map<number, KeyState>();
  /** Records per count slice. */
  private readonly g: number;
  private readonly ringLength: number;

  constructor(private readonly window: CountWindowPlan, private readonly store: AccumulatorStore) {
    this.g = gcd(window.size, window.slide);
    this.ringLength = window.size / this.g;
  }

  accumulate(b: ColumnBatch, from: number, to: number, _wm: number, out: KernelOutput): number {
    for (let i = from; i < to; i++) this.add(b, i, out);
    return largestTime(b.ts, from, to);
  }

  step(): void {}

  continuous(b: ColumnBatch, from: number, to: number, _wm: Float64Array, out: KernelOutput): void {
    for (let i = from; i < to; i++) this.add(b, i, out);
  }

  snapshot(): KernelSnapshot {
    const counts = [...this.keys].map(([key, s]) => ({
      key,
      total: s.total,
      fired: s.fired,
      ring: s.ring.map((slot) => (slot >= 0 ? this.store.snapshotSlot(slot) : null)),
    }));
    return { seq: this.seq, windows: [], counts };
  }

  restore(snap: KernelSnapshot, _wm: number): void {
    this.seq = snap.seq;
    for (const c of snap.counts) {
      const ring = c.ring.map((state) => {
        if (state === null) return -1;
        const slot = this.store.alloc();
        this.store.restoreSlot(slot, state);
        return slot;
      });
      this.keys.set(c.key, { total: c.total, fired: c.fired, ring });
    }
  }

  stats(): KernelStats {
    return { openWindows: this.keys.size, stateBytes: this.keys.size * (48 + 8 * this.ringLength) + this.store.stats().bytes };
  }

  private add(b: ColumnBatch, i: number, out: KernelOutput): void {
    const keyId = b.keyId[i]!;
    let s = this.keys.get(keyId);
    if (!s) this.keys.set(keyId, (s = { total: 0, fired: 0, ring: new Array<number>(this.ringLength).fill(-1) }));
    const slice = Math.floor(s.total / this.g);
    const at = slice % this.ringLength;
    if (s.total % this.g === 0) {
      // First record of a count slice: reuse the ring position of the oldest.
      if (s.ring[at]! >= 0) this.store.free(s.ring[at]!);
      s.ring[at] = this.store.alloc();
    }
    this.store.add(s.ring[at]!, b, i, this.seq++);
    s.total++;
    if (s.total % this.window.slide !== 0) return;
    const slices = Math.min(s.total, this.window.size) / this.g;
    let values: (number | null)[];
    if (slices === 1) values = this.store.results(s.ring[at]!);
    else {
      const scratch = this.store.alloc();
      for (let j = slice - slices + 1; j <= slice; j++) this.store.merge(scratch, s.ring[j % this.ringLength]!);
      values = this.store.results(scratch);
      this.store.free(scratch);
    }
    out.fire({ keyId, start: NaN, end: NaN, seq: s.fired++, values }, i);
  }
}
