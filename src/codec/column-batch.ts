/**
 * A column batch: the unit records travel in from decoding to the kernel.
 * Key ids, event times and input ids are typed arrays; each aggregated field
 * is one typed array (see column-layout.ts). Each record's raw form (a
 * line of text, a decoded object, a message payload) is kept so that late
 * records can be written out unchanged (`rawOf`): values by reference,
 * payload bytes copied into one arena, so that a record read straight from
 * its bytes leaves no object behind to outlive the young generation.
 */
import type { ColumnLayout } from "./column-layout.js";

export class ColumnBatch {
  length = 0;
  keyId: Int32Array;
  ts: Float64Array;
  input: Int32Array;
  num: Float64Array[];
  dict: Int32Array[];
  /** Two uint32 per record: [hi, lo] of the value's 64-bit hash. */
  hash: Uint32Array[];
  private raw: unknown[];
  /** Per record: where its payload bytes start in `rawArena`, and their length (-1: its raw form is in `raw`). */
  private rawStart: Int32Array;
  private rawLength: Int32Array;
  private rawArena = new Uint8Array(64 * 1024);
  private rawUsed = 0;

  /** `keepRaw`: whether records keep their raw form (without, `rawOf` gives undefined and setting it costs nothing). */
  constructor(readonly layout: ColumnLayout, public capacity = 4096, private readonly keepRaw = true) {
    this.keyId = new Int32Array(capacity);
    this.ts = new Float64Array(capacity);
    this.input = new Int32Array(capacity);
    this.num = layout.num.map(() => new Float64Array(capacity));
    this.dict = layout.dict.map(() => new Int32Array(capacity));
    this.hash = layout.hash.map(() => new Uint32Array(capacity * 2));
    this.raw = new Array(capacity);
    this.rawStart = new Int32Array(capacity);
    this.rawLength = new Int32Array(capacity);
  }

  /** Sets record j's raw form: a value kept by reference, or payload bytes (copied). */
  setRaw(j: number, raw: unknown): void {
    if (!this.keepRaw) return;
    if (raw instanceof Uint8Array) return this.setRawBytes(j, raw, 0, raw.length);
    this.raw[j] = raw;
    this.rawLength[j] = -1;
  }

  /** Sets record j's raw form to a copy of bytes[start, end). */
  setRawBytes(j: number, bytes: Uint8Array, start: number, end: number): void {
    if (!this.keepRaw) return;
    const n = end - start;
    if (this.rawUsed + n > this.rawArena.length) {
      const grown = new Uint8Array(Math.max(2 * this.rawArena.length, this.rawUsed + n));
      grown.set(this.rawArena.subarray(0, this.rawUsed));
      this.rawArena = grown;
    }
    const arena = this.rawArena;
    // short payloads: a loop beats the native call of set() on a fresh view
    if (n <= 256) for (let i = 0; i < n; i++) arena[this.rawUsed + i] = bytes[start + i]!;
    else arena.set(bytes.subarray(start, end), this.rawUsed);
    this.raw[j] = undefined;
    this.rawStart[j] = this.rawUsed;
    this.rawLength[j] = n;
    this.rawUsed += n;
  }

  /** Record i's raw form as it came in (payload bytes come back as a copy). */
  rawOf(i: number): unknown {
    if (!this.keepRaw) return undefined;
    const n = this.rawLength[i]!;
    if (n < 0) return this.raw[i];
    const at = this.rawStart[i]!;
    return this.rawArena.slice(at, at + n);
  }

  get full(): boolean {
    return this.length === this.capacity;
  }

  /** Empties the batch for reuse (columns keep their memory). */
  clear(): void {
    this.raw.fill(undefined, 0, this.length); // slots past length hold nothing already
    this.rawUsed = 0;
    this.length = 0;
  }

  /** Doubles the capacity, keeping the records. Amortised O(1) per record. */
  grow(): void {
    const cap = this.capacity * 2;
    const g = <T extends Int32Array | Float64Array | Uint32Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.keyId = g(this.keyId, cap);
    this.ts = g(this.ts, cap);
    this.input = g(this.input, cap);
    this.num = this.num.map((c) => g(c, cap));
    this.dict = this.dict.map((c) => g(c, cap));
    this.hash = this.hash.map((c) => g(c, cap * 2));
    this.rawStart = g(this.rawStart, cap);
    this.rawLength = g(this.rawLength, cap);
    this.raw.length = cap;
    this.capacity = cap;
  }

  /** Copies record i of `from` (same layout) to the end of this batch. */
  copyRecord(from: ColumnBatch, i: number): void {
    if (this.full) this.grow();
    this.setRecord(this.length++, from, i);
  }

  /** Overwrites record j of this batch with record i of `from` (same layout). */
  setRecord(j: number, from: ColumnBatch, i: number): void {
    this.keyId[j] = from.keyId[i]!;
    this.ts[j] = from.ts[i]!;
    this.input[j] = from.input[i]!;
    for (let c = 0; c < this.num.length; c++) this.num[c]![j] = from.num[c]![i]!;
    for (let c = 0; c < this.dict.length; c++) this.dict[c]![j] = from.dict[c]![i]!;
    for (let c = 0; c < this.hash.length; c++) {
      this.hash[c]![2 * j] = from.hash[c]![2 * i]!;
      this.hash[c]![2 * j + 1] = from.hash[c]![2 * i + 1]!;
    }
    this.setRaw(j, from.rawOf(i));
  }
}
