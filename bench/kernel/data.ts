/**
 * The kernel benchmark's data, generated once per run and shared by every
 * contender: sensor-like records `{ id, ts, v, k2 }`.
 *
 * - `id`: one of `keys` keys ("sensor-00042"), uniformly at random;
 * - `ts`: epoch ms, the record's index + a start time (1 ms per record);
 *   5% of records are late by 1..2000 ms. Since the largest time seen
 *   before record i is at most its own on-time value - 1, a record is never
 *   more than 2 s behind it, so with a 2 s bound no record is ever dropped
 *   as late and every contender can see all of them;
 * - `v`: a positive reading with two decimals, around 20 (a sum of four
 *   uniforms, so roughly bell-shaped in [4, 36]);
 * - `k2`: one of `k2Values` values ("m0042"), uniformly: a second key-like
 *   field for distinct counts.
 *
 * Held as columns of indices and numbers (~24 bytes a record) rather than
 * objects: 5 M objects would take the heap the contenders measure in.
 */
import { seededRandom } from "../lib/random.js";

export interface KernelDataShape {
  records: number;
  keys: number;
  k2Values: number;
  /** Fraction of records that arrive late. */
  outOfOrder: number;
  /** Largest lateness, ms. */
  maxDelay: number;
  seed: number;
}

export const FULL_SHAPE: KernelDataShape = {
  records: 5_000_000,
  keys: 10_000,
  k2Values: 1_000,
  outOfOrder: 0.05,
  maxDelay: 2000,
  seed: 20261125,
};

/** 2025-01-01T00:00:00Z: positive, and a multiple of every window size used. */
export const START_TS = Date.UTC(2025, 0, 1);

export interface KernelData {
  shape: KernelDataShape;
  length: number;
  keyNames: string[];
  k2Names: string[];
  key: Int32Array;
  ts: Float64Array;
  v: Float64Array;
  k2: Int32Array;
}

/** One record as a user's code would see it (decoded JSON or msgpack). */
export interface BenchRecord {
  id: string;
  ts: number;
  v: number;
  k2: string;
}

export function generateData(shape: KernelDataShape): KernelData {
  const rnd = seededRandom(shape.seed);
  const n = shape.records;
  const d: KernelData = {
    shape,
    length: n,
    keyNames: Array.from({ length: shape.keys }, (_, i) => `sensor-${String(i).padStart(5, "0")}`),
    k2Names: Array.from({ length: shape.k2Values }, (_, i) => `m${String(i).padStart(4, "0")}`),
    key: new Int32Array(n),
    ts: new Float64Array(n),
    v: new Float64Array(n),
    k2: new Int32Array(n),
  };
  for (let i = 0; i < n; i++) {
    d.key[i] = Math.floor(rnd() * shape.keys);
    const delay = rnd() < shape.outOfOrder ? 1 + Math.floor(rnd() * shape.maxDelay) : 0;
    d.ts[i] = START_TS + i - delay;
    d.v[i] = Math.round(100 * (20 + 8 * (rnd() + rnd() + rnd() + rnd() - 2))) / 100;
    d.k2[i] = Math.floor(rnd() * shape.k2Values);
  }
  return d;
}

/** Record i as a fresh object. */
export function recordAt(d: KernelData, i: number): BenchRecord {
  return { id: d.keyNames[d.key[i]!]!, ts: d.ts[i]!, v: d.v[i]!, k2: d.k2Names[d.k2[i]!]! };
}

/** Records [from, to) as objects, e.g. one batch for a contender that takes objects. */
export function recordsIn(d: KernelData, from: number, to: number): BenchRecord[] {
  const out = new Array<BenchRecord>(to - from);
  for (let i = from; i < to; i++) out[i - from] = recordAt(d, i);
  return out;
}

/** Records in one batch: the size weir's micro-batches and the object batches use. */
export const BATCH_RECORDS = 65_536;
