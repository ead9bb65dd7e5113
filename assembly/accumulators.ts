// Accumulators of one entry (a (key, slice) pane, a session or a count
// slice), laid out by the host: src/kernel/wasm/layout.ts writes a
// descriptor table saying where each column lives and where each
// accumulator sits in an entry. Add, merge and result mirror
// src/aggregate/aggregators.ts operation for operation.
import { alloc, allocZeroed, free } from "./heap";
import {
  DD_BYTES, ddAdd, ddFree, ddMerge, ddQuantile, hllAdd, hllEstimate, hllFree, hllMerge,
  listAppend, listFree, listPush, setAdd, setFree, setUnion,
} from "./sketches";
import { sortAscending } from "./sort";

// Column flags (layout.ts: NUM_FLAGS).
// @ts-ignore: decorator
@inline const F_N: i32 = 1;
// @ts-ignore: decorator
@inline const F_SUM: i32 = 2;
// @ts-ignore: decorator
@inline const F_MIN: i32 = 4;
// @ts-ignore: decorator
@inline const F_MAX: i32 = 8;
// @ts-ignore: decorator
@inline const F_FIRST: i32 = 16;
// @ts-ignore: decorator
@inline const F_LAST: i32 = 32;
// @ts-ignore: decorator
@inline const F_LIST: i32 = 64;
// @ts-ignore: decorator
@inline const F_SKETCH: i32 = 128;
// @ts-ignore: decorator
@inline const F_MOMENTS: i32 = 256;

// Aggregate kinds (layout.ts: AGG_KIND).
// @ts-ignore: decorator
@inline const A_COUNT: i32 = 0;
// @ts-ignore: decorator
@inline const A_COUNT_FIELD: i32 = 1;
// @ts-ignore: decorator
@inline const A_SUM: i32 = 2;
// @ts-ignore: decorator
@inline const A_AVG: i32 = 3;
// @ts-ignore: decorator
@inline const A_MIN: i32 = 4;
// @ts-ignore: decorator
@inline const A_MAX: i32 = 5;
// @ts-ignore: decorator
@inline const A_FIRST: i32 = 6;
// @ts-ignore: decorator
@inline const A_LAST: i32 = 7;
// @ts-ignore: decorator
@inline const A_DISTINCT: i32 = 8;
// @ts-ignore: decorator
@inline const A_APPROX_DISTINCT: i32 = 9;
// @ts-ignore: decorator
@inline const A_PERCENTILE: i32 = 10;
// @ts-ignore: decorator
@inline const A_PERCENTILE_APPROX: i32 = 11;
// @ts-ignore: decorator
@inline const A_QUANTILE: i32 = 12;
// @ts-ignore: decorator
@inline const A_STDDEV_POP: i32 = 13;
// @ts-ignore: decorator
@inline const A_STDDEV_SAMP: i32 = 14;
// @ts-ignore: decorator
@inline const A_VAR_POP: i32 = 15;
// @ts-ignore: decorator
@inline const A_VAR_SAMP: i32 = 16;

// Descriptor table (layout.ts writes it; see DESC_* there).
let nAggs: i32 = 0;
let nNum: i32 = 0;
let nDict: i32 = 0;
let nHash: i32 = 0;
let countOff: usize = 0;
let accBytes: usize = 0;
let numDesc: usize = 0;
let dictDesc: usize = 0;
let hashDesc: usize = 0;
let aggDesc: usize = 0;
let hist: usize = 0;
let heapParts: bool = false;
let empty: usize = 0; // empty accumulators, copied by accInit

// "Plain" accumulators (counts, sums, minima and maxima only, the common
// case): merging is a run of adds, mins and maxes over offset lists
// written once here, instead of a walk of the descriptor flags per merge.
let plain: bool = false;
let plainAdd: usize = 0;
let plainAdds: i32 = 0;
let plainMin: usize = 0;
let plainMins: i32 = 0;
let plainMax: usize = 0;
let plainMaxes: i32 = 0;

/** Reads the descriptor table at `desc`. */
export function accConfigure(desc: usize): void {
  nAggs = load<i32>(desc);
  nNum = load<i32>(desc, 4);
  nDict = load<i32>(desc, 8);
  nHash = load<i32>(desc, 12);
  accBytes = <usize>load<i32>(desc, 16);
  countOff = <usize>load<i32>(desc, 20);
  numDesc = desc + 32;
  dictDesc = numDesc + (<usize>nNum << 6);
  hashDesc = dictDesc + (<usize>nDict << 4);
  aggDesc = hashDesc + (<usize>nHash << 4);
  hist = alloc(66 * 8);
  empty = alloc(accBytes);
  writeEmpty(empty);
  heapParts = nDict > 0 || nHash > 0;
  for (let c = 0; c < nNum; c++) if (num(c, 1) & (F_LIST | F_SKETCH)) heapParts = true;
  plain = nDict == 0 && nHash == 0;
  for (let c = 0; c < nNum; c++) if (num(c, 1) & ~(F_N | F_SUM | F_MIN | F_MAX)) plain = false;
  oneColumn = plain && nNum == 1;
  summary = false;
  if (!plain) return;
  if (oneColumn) {
    oneBase = <usize>num(0, 0);
    oneFlags = num(0, 1);
    oneN = <usize>num(0, 2);
    oneSum = <usize>num(0, 3);
    oneMin = <usize>num(0, 4);
    oneMax = <usize>num(0, 5);
    summary = oneFlags == (F_N | F_SUM | F_MIN | F_MAX) && countOff == 0 && oneN == 8 && oneSum == 16 && oneMin == 24 && oneMax == 32 && accBytes == 40;
    oneResultAt = alloc(<usize>max(nAggs, 1) << 2);
    for (let k = 0; k < nAggs; k++) {
      const d = aggDesc + (<usize>k << 5);
      const kind = load<i32>(d);
      store<i32>(oneResultAt + (<usize>k << 2), kind == A_AVG ? -1 : kind <= A_COUNT_FIELD ? load<i32>(d, 4) : load<i32>(d, 8));
    }
  }
  plainAdd = alloc(<usize>(1 + 2 * nNum) << 2);
  plainMin = alloc(<usize>max(nNum, 1) << 2);
  plainMax = alloc(<usize>max(nNum, 1) << 2);
  plainAdds = 0;
  plainMins = 0;
  plainMaxes = 0;
  store<i32>(plainAdd + (<usize>(plainAdds++) << 2), <i32>countOff);
  for (let c = 0; c < nNum; c++) {
    const flags = num(c, 1);
    if (flags & F_N) store<i32>(plainAdd + (<usize>(plainAdds++) << 2), num(c, 2));
    if (flags & F_SUM) store<i32>(plainAdd + (<usize>(plainAdds++) << 2), num(c, 3));
    if (flags & F_MIN) store<i32>(plainMin + (<usize>(plainMins++) << 2), num(c, 4));
    if (flags & F_MAX) store<i32>(plainMax + (<usize>(plainMaxes++) << 2), num(c, 5));
  }
}

/** Whether the accumulators are plain numbers (no heap parts, no arrival order): a copy of one is a valid accumulator. */
export function accPlain(): bool {
  return plain;
}

// Plain accumulators of a single column (count, sum, min, max, avg of one
// field: the common summary): adding and merging read its offsets from
// globals instead of the descriptor table.
let oneColumn: bool = false;
let oneBase: usize = 0;
let oneFlags: i32 = 0;
let oneN: usize = 0;
let oneSum: usize = 0;
let oneMin: usize = 0;
let oneMax: usize = 0;
// The one-field accumulators of count, sum, min, max (and avg): count, n, sum, min, max at 0, 8, 16, 24, 32.
let summary: bool = false;
let oneResultAt: usize = 0; // i32 per aggregate: the offset of its result in the accumulators, or -1: the average

/** a := a ⊕ b, for plain accumulators. */
// @ts-ignore: decorator
@inline export function mergePlain(a: usize, b: usize): void {
  joinPlain(a, a, b);
}

/** a := b ⊕ a, for plain accumulators: as mergePlain, but on a tie of minima or maxima (-0 and +0) b's is kept. */
// @ts-ignore: decorator
@inline export function mergePlainLeft(a: usize, b: usize): void {
  joinPlain(a, b, a);
}

/**
 * dst := l ⊕ r, for plain accumulators (dst may be l or r). Sums are the
 * same either way round; a tie of minima or maxima keeps l's (not f64.min,
 * whose rules for zeros and NaN differ: as the reference, which replaces
 * only on strictly less or greater). Every byte of dst is written.
 */
// @ts-ignore: decorator
@inline export function joinPlain(dst: usize, l: usize, r: usize): void {
  if (summary) {
    // count, n, sum, min, max at 0, 8, 16, 24, 32
    store<f64>(dst, load<f64>(l) + load<f64>(r));
    store<f64>(dst, load<f64>(l, 8) + load<f64>(r, 8), 8);
    store<f64>(dst, load<f64>(l, 16) + load<f64>(r, 16), 16);
    store<f64>(dst, lesser(load<f64>(l, 24), load<f64>(r, 24)), 24);
    store<f64>(dst, greater(load<f64>(l, 32), load<f64>(r, 32)), 32);
    return;
  }
  if (oneColumn) {
    store<f64>(dst + countOff, load<f64>(l + countOff) + load<f64>(r + countOff));
    if (oneFlags & F_N) store<f64>(dst + oneN, load<f64>(l + oneN) + load<f64>(r + oneN));
    if (oneFlags & F_SUM) store<f64>(dst + oneSum, load<f64>(l + oneSum) + load<f64>(r + oneSum));
    if (oneFlags & F_MIN) pickMin(dst + oneMin, l + oneMin, r + oneMin);
    if (oneFlags & F_MAX) pickMax(dst + oneMax, l + oneMax, r + oneMax);
    return;
  }
  for (let j = 0; j < plainAdds; j++) {
    const o = <usize>load<i32>(plainAdd + (<usize>j << 2));
    store<f64>(dst + o, load<f64>(l + o) + load<f64>(r + o));
  }
  for (let j = 0; j < plainMins; j++) {
    const o = <usize>load<i32>(plainMin + (<usize>j << 2));
    pickMin(dst + o, l + o, r + o);
  }
  for (let j = 0; j < plainMaxes; j++) {
    const o = <usize>load<i32>(plainMax + (<usize>j << 2));
    pickMax(dst + o, l + o, r + o);
  }
}

// @ts-ignore: decorator
@inline function pickMin(dst: usize, l: usize, r: usize): void {
  store<f64>(dst, lesser(load<f64>(l), load<f64>(r)));
}

// @ts-ignore: decorator
@inline function pickMax(dst: usize, l: usize, r: usize): void {
  store<f64>(dst, greater(load<f64>(l), load<f64>(r)));
}

// V8 (Node 20, x64) compiles a select of f64 or i64 values to a branch,
// which values in random order mispredict half the time; the SIMD
// pseudo-minimum and pseudo-maximum compute exactly these selects, without
// a branch.

/** r < l ? r : l, without a branch (l on a tie of -0 and +0, and when either is NaN). */
// @ts-ignore: decorator
@inline export function lesser(l: f64, r: f64): f64 {
  return f64x2.extract_lane(f64x2.pmin(f64x2.splat(l), f64x2.splat(r)), 0);
}

/** l < r ? r : l, without a branch (l on a tie of -0 and +0, and when either is NaN). */
// @ts-ignore: decorator
@inline export function greater(l: f64, r: f64): f64 {
  return f64x2.extract_lane(f64x2.pmax(f64x2.splat(l), f64x2.splat(r)), 0);
}

/** Records counted in the accumulators at a (0: empty). */
// @ts-ignore: decorator
@inline export function accCount(a: usize): f64 {
  return load<f64>(a + countOff);
}

/** Copies plain accumulators (f64 parts only) from src to dst. */
// @ts-ignore: decorator
@inline export function copyPlain(dst: usize, src: usize): void {
  for (let o: usize = 0; o < accBytes; o += 8) store<f64>(dst + o, load<f64>(src + o));
}

/** Whether accumulators own heap blocks (lists, sketches, sets, registers) that must be freed. */
export function accHasHeapParts(): bool {
  return heapParts;
}

/** Bytes of an entry's accumulator area. */
export function accSize(): usize {
  return accBytes;
}

// @ts-ignore: decorator
@inline function num(c: i32, field: i32): i32 {
  return load<i32>(numDesc + (<usize>c << 6) + (<usize>field << 2));
}

/** Writes empty accumulators at `a`: zeros, ±Infinity for minima and maxima, no arrival for first and last. */
function writeEmpty(a: usize): void {
  memory.fill(a, 0, accBytes);
  for (let c = 0; c < nNum; c++) {
    const flags = num(c, 1);
    if (flags & F_MIN) store<f64>(a + <usize>num(c, 4), Infinity);
    if (flags & F_MAX) store<f64>(a + <usize>num(c, 5), -Infinity);
    if (flags & F_FIRST) store<f64>(a + <usize>num(c, 6), -1, 8);
    if (flags & F_LAST) store<f64>(a + <usize>num(c, 7), -1, 8);
  }
}

/** Empties the accumulators at `a`: a copy of the empty ones written at configuration (accBytes is a multiple of 8). */
export function accInit(a: usize): void {
  for (let o: usize = 0; o < accBytes; o += 8) store<u64>(a + o, load<u64>(empty + o));
}

/** Frees the heap parts of the accumulators at `a`. */
export function accRelease(a: usize): void {
  for (let c = 0; c < nNum; c++) {
    const flags = num(c, 1);
    if (flags & F_LIST) listFree(a + <usize>num(c, 8));
    if (flags & F_SKETCH) ddFree(a + <usize>num(c, 9));
  }
  for (let c = 0; c < nDict; c++) setFree(a + <usize>load<i32>(dictDesc + (<usize>c << 4), 4));
  for (let c = 0; c < nHash; c++) {
    const d = hashDesc + (<usize>c << 4);
    hllFree(a + <usize>load<i32>(d, 8), load<i32>(d, 4));
  }
}

/** Writes the accumulators of record i alone (arrival number `seq`) at `a`, which holds none yet. */
// @ts-ignore: decorator
@inline export function accFirst(a: usize, i: i32, seq: f64): void {
  if (!oneColumn) {
    accInit(a);
    accAdd(a, i, seq);
    return;
  }
  // as accAdd on empty accumulators: a null value counts only as a record
  const v = load<f64>(oneBase + (<usize>i << 3));
  const has = v == v;
  if (summary && has) {
    store<f64>(a, 1);
    store<f64>(a, 1, 8);
    store<f64>(a, 0 + v, 16);
    store<f64>(a, v, 24);
    store<f64>(a, v, 32);
    return;
  }
  store<f64>(a + countOff, 1);
  if (oneFlags & F_N) store<f64>(a + oneN, has ? 1 : 0);
  if (oneFlags & F_SUM) store<f64>(a + oneSum, has ? 0 + v : 0);
  if (oneFlags & F_MIN) store<f64>(a + oneMin, has ? v : Infinity);
  if (oneFlags & F_MAX) store<f64>(a + oneMax, has ? v : -Infinity);
}

/** accAdd, with the one-field summary's case inlined where it is called. */
// @ts-ignore: decorator
@inline export function accAddQuick(a: usize, i: i32, seq: f64): void {
  if (summary) {
    const v = load<f64>(oneBase + (<usize>i << 3));
    store<f64>(a, load<f64>(a) + 1);
    if (v != v) return;
    store<f64>(a, load<f64>(a, 8) + 1, 8);
    store<f64>(a, load<f64>(a, 16) + v, 16);
    store<f64>(a, lesser(load<f64>(a, 24), v), 24);
    store<f64>(a, greater(load<f64>(a, 32), v), 32);
    return;
  }
  accAdd(a, i, seq);
}

/** Adds record i of the batch columns, arrival number `seq`. */
export function accAdd(a: usize, i: i32, seq: f64): void {
  const cnt = a + countOff;
  store<f64>(cnt, load<f64>(cnt) + 1);
  if (oneColumn) {
    // plain accumulators of one column: offsets from globals, minima and maxima without a branch (v replaces only when strictly less or greater)
    const v = load<f64>(oneBase + (<usize>i << 3));
    if (v != v) return;
    if (oneFlags & F_N) store<f64>(a + oneN, load<f64>(a + oneN) + 1);
    if (oneFlags & F_SUM) store<f64>(a + oneSum, load<f64>(a + oneSum) + v);
    if (oneFlags & F_MIN) store<f64>(a + oneMin, lesser(load<f64>(a + oneMin), v));
    if (oneFlags & F_MAX) store<f64>(a + oneMax, greater(load<f64>(a + oneMax), v));
    return;
  }
  for (let c = 0; c < nNum; c++) {
    const d = numDesc + (<usize>c << 6);
    const v = load<f64>(<usize>load<i32>(d) + (<usize>i << 3));
    if (v != v) continue;
    const flags = load<i32>(d, 4);
    if (flags & F_N) {
      const p = a + <usize>load<i32>(d, 8);
      store<f64>(p, load<f64>(p) + 1);
    }
    if (flags & F_SUM) {
      const p = a + <usize>load<i32>(d, 12);
      store<f64>(p, load<f64>(p) + v);
    }
    if (flags & F_MIN) {
      const p = a + <usize>load<i32>(d, 16);
      store<f64>(p, lesser(load<f64>(p), v));
    }
    if (flags & F_MAX) {
      const p = a + <usize>load<i32>(d, 20);
      store<f64>(p, greater(load<f64>(p), v));
    }
    if (flags & F_FIRST) {
      const p = a + <usize>load<i32>(d, 24);
      const s = load<f64>(p, 8);
      if (s < 0 || seq < s) {
        store<f64>(p, v);
        store<f64>(p, seq, 8);
      }
    }
    if (flags & F_LAST) {
      const p = a + <usize>load<i32>(d, 28);
      const s = load<f64>(p, 8);
      if (s < 0 || seq > s) {
        store<f64>(p, v);
        store<f64>(p, seq, 8);
      }
    }
    if (flags & F_LIST) listPush(a + <usize>load<i32>(d, 32), v);
    if (flags & F_SKETCH) ddAdd(a + <usize>load<i32>(d, 36), v);
    if (flags & F_MOMENTS) momentsAdd(a + <usize>load<i32>(d, 40), v);
  }
  for (let c = 0; c < nDict; c++) {
    const d = dictDesc + (<usize>c << 4);
    const id = load<i32>(<usize>load<i32>(d) + (<usize>i << 2));
    if (id >= 0) setAdd(a + <usize>load<i32>(d, 4), id);
  }
  for (let c = 0; c < nHash; c++) {
    const d = hashDesc + (<usize>c << 4);
    const at = <usize>load<i32>(d) + (<usize>i << 3);
    const hi = load<u32>(at);
    const lo = load<u32>(at, 4);
    if ((hi | lo) != 0) hllAdd(a + <usize>load<i32>(d, 8), load<i32>(d, 4), hi, lo);
  }
}

/** Merges the accumulators at `b` into those at `a`. */
export function accMerge(a: usize, b: usize): void {
  if (plain) {
    mergePlain(a, b);
    return;
  }
  store<f64>(a + countOff, load<f64>(a + countOff) + load<f64>(b + countOff));
  for (let c = 0; c < nNum; c++) {
    const d = numDesc + (<usize>c << 6);
    const flags = load<i32>(d, 4);
    if (flags & F_N) {
      const o = <usize>load<i32>(d, 8);
      store<f64>(a + o, load<f64>(a + o) + load<f64>(b + o));
    }
    if (flags & F_SUM) {
      const o = <usize>load<i32>(d, 12);
      store<f64>(a + o, load<f64>(a + o) + load<f64>(b + o));
    }
    if (flags & F_MIN) {
      const o = <usize>load<i32>(d, 16);
      pickMin(a + o, a + o, b + o);
    }
    if (flags & F_MAX) {
      const o = <usize>load<i32>(d, 20);
      pickMax(a + o, a + o, b + o);
    }
    if (flags & F_FIRST) {
      const o = <usize>load<i32>(d, 24);
      const sb = load<f64>(b + o, 8);
      const sa = load<f64>(a + o, 8);
      if (sb >= 0 && (sa < 0 || sb < sa)) {
        store<f64>(a + o, load<f64>(b + o));
        store<f64>(a + o, sb, 8);
      }
    }
    if (flags & F_LAST) {
      const o = <usize>load<i32>(d, 28);
      const sb = load<f64>(b + o, 8);
      const sa = load<f64>(a + o, 8);
      if (sb >= 0 && (sa < 0 || sb > sa)) {
        store<f64>(a + o, load<f64>(b + o));
        store<f64>(a + o, sb, 8);
      }
    }
    if (flags & F_LIST) listAppend(a + <usize>load<i32>(d, 32), b + <usize>load<i32>(d, 32));
    if (flags & F_SKETCH) ddMerge(a + <usize>load<i32>(d, 36), b + <usize>load<i32>(d, 36));
    if (flags & F_MOMENTS) momentsMerge(a + <usize>load<i32>(d, 40), b + <usize>load<i32>(d, 40));
  }
  for (let c = 0; c < nDict; c++) {
    const o = <usize>load<i32>(dictDesc + (<usize>c << 4), 4);
    setUnion(a + o, b + o);
  }
  for (let c = 0; c < nHash; c++) {
    const d = hashDesc + (<usize>c << 4);
    const o = <usize>load<i32>(d, 8);
    hllMerge(a + o, b + o, load<i32>(d, 4));
  }
}

// Moments {n, mean, m2} at p: Welford's update and Chan et al.'s merge, the
// operations of src/aggregate/aggregators.ts (momentsAdd, momentsMerge) in
// the same order, so that both kernels give the same bits.

// @ts-ignore: decorator
@inline function momentsAdd(p: usize, v: f64): void {
  const n = load<f64>(p) + 1;
  const delta = v - load<f64>(p, 8);
  const mean = load<f64>(p, 8) + delta / n;
  store<f64>(p, n);
  store<f64>(p, mean, 8);
  store<f64>(p, load<f64>(p, 16) + delta * (v - mean), 16);
}

function momentsMerge(a: usize, b: usize): void {
  const nb = load<f64>(b);
  if (nb == 0) return;
  const na = load<f64>(a);
  if (na == 0) {
    store<f64>(a, nb);
    store<f64>(a, load<f64>(b, 8), 8);
    store<f64>(a, load<f64>(b, 16), 16);
    return;
  }
  const n = na + nb;
  const delta = load<f64>(b, 8) - load<f64>(a, 8);
  store<f64>(a, load<f64>(a, 8) + delta * (nb / n), 8);
  store<f64>(a, load<f64>(a, 16) + (load<f64>(b, 16) + delta * delta * ((na * nb) / n)), 16);
  store<f64>(a, n);
}

/** Sorted copy of a value list, in a fresh block of `len * 8` bytes (caller frees). */
function sortedCopy(list: usize): usize {
  const len = load<i32>(list, 4);
  const p = alloc(<usize>len << 3);
  memory.copy(p, <usize>load<u32>(list), <usize>len << 3);
  sortAscending<f64>(p, len);
  return p;
}

/**
 * accResults for plain accumulators of one field, inlined where rows are
 * written: each aggregate's result is the value at an offset (precomputed),
 * or the average. Returns false, having written nothing, for other
 * accumulators and when the field has no value (results then are null).
 */
// @ts-ignore: decorator
@inline export function accResultsQuick(a: usize, out: usize): bool {
  if (!oneColumn) return false;
  const n = load<f64>(a + oneN);
  if (!(n > 0)) return false;
  for (let k = 0; k < nAggs; k++) {
    const o = load<i32>(oneResultAt + (<usize>k << 2));
    store<f64>(out + (<usize>k << 3), o >= 0 ? load<f64>(a + <usize>o) : load<f64>(a + oneSum) / n);
  }
  return true;
}

/** Writes each aggregate's result (NaN for null) as f64 to out[0..nAggs). */
export function accResults(a: usize, out: usize): void {
  if (plain) {
    // counts, sums, averages, minima and maxima only: no dispatch on the kind beyond count or average
    for (let k = 0; k < nAggs; k++) {
      const d = aggDesc + (<usize>k << 5);
      const kind = load<i32>(d);
      const n = load<f64>(a + <usize>load<i32>(d, 4));
      const v = load<f64>(a + <usize>load<i32>(d, 8));
      const r = kind <= A_COUNT_FIELD ? n : n > 0 ? (kind == A_AVG ? v / n : v) : NaN;
      store<f64>(out + (<usize>k << 3), r);
    }
    return;
  }
  for (let k = 0; k < nAggs; k++) {
    const d = aggDesc + (<usize>k << 5);
    const kind = load<i32>(d);
    const o1 = a + <usize>load<i32>(d, 4);
    const o2 = a + <usize>load<i32>(d, 8);
    const p = load<f64>(d, 16);
    let r: f64 = NaN;
    const n = load<f64>(o1);
    switch (kind) {
      case A_COUNT:
      case A_COUNT_FIELD:
        r = n;
        break;
      case A_SUM:
        if (n > 0) r = load<f64>(o2);
        break;
      case A_AVG:
        if (n > 0) r = load<f64>(o2) / n;
        break;
      case A_MIN:
      case A_MAX:
        if (n > 0) r = load<f64>(o2);
        break;
      case A_FIRST:
      case A_LAST:
        if (load<f64>(o1, 8) >= 0) r = load<f64>(o1);
        break;
      case A_DISTINCT:
        r = <f64>load<i32>(o1, 4);
        break;
      case A_APPROX_DISTINCT:
        r = hllEstimate(o1, load<i32>(d, 8), hist);
        break;
      case A_PERCENTILE: {
        const len = load<i32>(o1, 4);
        if (len > 0) {
          const s = sortedCopy(o1);
          const pos = <f64>(len - 1) * p;
          const lo = Math.floor(pos);
          const hi = Math.ceil(pos);
          const vlo = load<f64>(s + (<usize>(<i32>lo) << 3));
          r = lo == hi ? vlo : (hi - pos) * vlo + (pos - lo) * load<f64>(s + (<usize>(<i32>hi) << 3));
          free(s, <usize>len << 3);
        }
        break;
      }
      case A_PERCENTILE_APPROX: {
        const len = load<i32>(o1, 4);
        if (len > 0) {
          const s = sortedCopy(o1);
          let rank = <i32>Math.ceil(p * <f64>len);
          if (rank < 1) rank = 1;
          if (rank > len) rank = len;
          r = load<f64>(s + (<usize>(rank - 1) << 3));
          free(s, <usize>len << 3);
        }
        break;
      }
      case A_QUANTILE:
        r = ddQuantile(o2, p, n);
        break;
      case A_STDDEV_POP:
      case A_VAR_POP:
        // moments {n, mean, m2}: null below one value (two for the sample forms)
        if (n >= 1) r = load<f64>(o1, 16) / n;
        if (kind == A_STDDEV_POP) r = Math.sqrt(r);
        break;
      case A_STDDEV_SAMP:
      case A_VAR_SAMP:
        if (n - 1 >= 1) r = load<f64>(o1, 16) / (n - 1);
        if (kind == A_STDDEV_SAMP) r = Math.sqrt(r);
        break;
    }
    store<f64>(out + (<usize>k << 3), r);
  }
}

export const SKETCH_INLINE_BYTES: usize = DD_BYTES;
