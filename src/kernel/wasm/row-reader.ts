/**
 * Fired rows on their way out of the kernel. The output region holds a few
 * thousand rows; each time it fills (and at the end of a call) its rows are
 * copied into a growable buffer here. At the end of a call the buffer is
 * handed out.
 *
 * The kernel already emits rows in emission order (record index, window
 * end, key rank); rows are handed out through one reused FiredWindow, so
 * no object is made per row here. While `direct` is set (a watermark step
 * whose output takes rows in bulk), each full region is handed out where
 * it lies, without the copy.
 * A NaN value means null (inputs never hold NaN: the decoder turns missing
 * values into nulls that aggregates skip).
 */
import type { FiredRows, FiredWindow, KernelOutput } from "../kernel.js";
import type { KernelInstance } from "./instance.js";

export class RowBuffer {
  private words: Int32Array;
  private f64: Float64Array;
  private count = 0;
  /** 32-bit words per row (stride / 4). */
  private readonly rowWords: number;
  private readonly aggs: number;
  private readonly out: FiredWindow;
  /** Takes rows in bulk straight from the output region (see the class comment); null: rows are copied and buffered. */
  direct: KernelOutput | null = null;

  constructor(private readonly k: KernelInstance) {
    this.rowWords = k.layout.rowStride >> 2;
    this.aggs = (k.layout.rowStride - 24) >> 3;
    this.words = new Int32Array(this.rowWords * 4096);
    this.f64 = new Float64Array(this.words.buffer);
    this.out = { keyId: 0, start: 0, end: 0, seq: -1, values: new Array(this.aggs).fill(null) };
  }

  /** Copies `n` rows from the kernel's output region, adding `indexOffset` to their record index. */
  take(n: number, indexOffset: number): void {
    if (n === 0) return;
    if (this.direct !== null && this.count === 0 && indexOffset === 0) {
      const buffer = this.k.mem().i32.buffer;
      const at = this.k.layout.regions.out;
      const words = new Int32Array(buffer, at, n * this.rowWords);
      this.direct.fireRows!({ count: n, rowWords: this.rowWords, words, f64: new Float64Array(buffer, at, words.length / 2) });
      return;
    }
    const need = (this.count + n) * this.rowWords;
    if (need > this.words.length) {
      const bigger = new Int32Array(Math.max(need, this.words.length * 2));
      bigger.set(this.words.subarray(0, this.count * this.rowWords));
      this.words = bigger;
      this.f64 = new Float64Array(bigger.buffer);
    }
    const from = this.k.layout.regions.out >> 2;
    const at = this.count * this.rowWords;
    this.words.set(this.k.mem().i32.subarray(from, from + n * this.rowWords), at);
    if (indexOffset !== 0) {
      for (let r = 0; r < n; r++) {
        const i = at + r * this.rowWords + 1;
        if (this.words[i]! >= 0) this.words[i] += indexOffset;
      }
    }
    this.count += n;
  }

  /** Hands every buffered row to `out`, in order, then empties the buffer. */
  emit(out: KernelOutput): void {
    if (this.count === 0) return;
    if (out.fireRows) {
      const rows: FiredRows = { count: this.count, rowWords: this.rowWords, words: this.words, f64: this.f64 };
      out.fireRows(rows);
      this.count = 0;
      return;
    }
    const rw = this.rowWords;
    const words = this.words;
    const f64 = this.f64;
    const w = this.out;
    const values = w.values;
    for (let r = 0; r < this.count; r++) {
      const base = r * rw;
      w.keyId = words[base]!;
      w.start = f64[base / 2 + 1]!;
      w.end = f64[base / 2 + 2]!;
      for (let a = 0; a < this.aggs; a++) {
        const v = f64[base / 2 + 3 + a]!;
        values[a] = v === v ? v : null;
      }
      out.fire(w, words[base + 1]!);
    }
    this.count = 0;
  }
}

/** Reads `aggs` result values at `at` (NaN → null). */
export function readValues(k: KernelInstance, at: number, aggs: number): (number | null)[] {
  const f = k.mem().f64;
  const out: (number | null)[] = new Array(aggs);
  for (let a = 0; a < aggs; a++) {
    const v = f[(at >> 3) + a]!;
    out[a] = v === v ? v : null;
  }
  return out;
}
