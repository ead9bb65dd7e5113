// Tumbling and sliding windows by stream slicing (docs/semantics.md):
// slices are gcd(size, slide) long, a record updates one (key, slice)
// entry, and a window combines its size/slice slices when it fires. Window
// starts and slices are counted in slice units; times are i64 ms, and the
// watermark is an i64 with ±2^62 standing for ±infinity.
import { alloc, free, resize } from "./heap";
import { accAdd, accAddQuick, accFirst, accInit, accMerge, accPlain, accRelease, accResults, accResultsQuick, copyPlain, greater, mergePlain } from "./accumulators";
import { blockList, blocksBytes, blocksConfigure, blocksForget, blocksPrepare, blocksTouch, blocksWindowAt, combineBlocks, splitOf } from "./blocks";
import { beginRow, pushLate } from "./output";
import { gatherCount, gatherPush, gatherReset, gatherSort, sortedItem, sortedRank } from "./gather";
import {
  HEADER, dirAt, dirCount, dirLowerBound, dropOldestSlice, entryMade, entryPtr, entryStride, find, findOrInsert, keyCapacity, keysInUse,
  isLoose, newEntry, pageFirst, pageNext, pageUsed, rankOf, releaseEntry, sliceFirst, sliceNext, sliceOfEntry, slicePage, stampAt,
} from "./table";

@external("env", "snapshotWindow") declare function snapshotWindow(key: i32, start: f64, end: f64, acc: usize): void;

// @ts-ignore: decorator
@inline export const NEG: i64 = -(<i64>1 << 62);
// @ts-ignore: decorator
@inline export const POS: i64 = <i64>1 << 62;
// @ts-ignore: decorator
@inline export const FINAL: i32 = 0;
// @ts-ignore: decorator
@inline export const UPDATE: i32 = 1;
// @ts-ignore: decorator
@inline export const COMPLETE: i32 = 2;

let keyBase: usize = 0;
let tsBase: usize = 0;
let wmBase: usize = 0;

let offset: i64 = 0;
let g: i64 = 1; // ms per slice
let k: i64 = 1; // slices per slide
let w: i64 = 1; // slices per window
let lateness: i64 = 0;
let emitMode: i32 = FINAL;

let seq: f64 = 0;
let nextFireA: i64 = NEG; // windows starting before it have fired (or were empty when complete)
let lastW: i64 = NEG; // watermark of the last step
let scratch: i32 = -1;

// Slice of the last record, to skip the division for records of the same slice.
let curSlice: i64 = 0;
let curLo: i64 = 1;
let curHi: i64 = 0;
let curNewest: i64 = 0; // start of the newest window holding curSlice
let curOldest: i64 = 0; // start of the oldest
let curDropAt: i64 = 0; // watermark from which every window holding curSlice drops a record (past allowed lateness)
let curOldestMax: i64 = 0; // the oldest window's largest timestamp: from this watermark on a record there may fire late
// Micro-batch: which added records' entries are remembered for late firings and updates (none, all, or those whose oldest window is complete).
let touchAll: bool = false;
let touchLate: bool = false;

// Entries touched in the current step (micro-batch late firings and updates).
let touched: usize = 0;
let touchedLen: i32 = 0;
let touchedCap: i32 = 0;
let stepStamp: i32 = 1;

// Restored windows (sliding windows restored from a checkpoint, whose state
// cannot be split back into slices): 16-byte records {a i64, key i32,
// entry i32} sorted by (a, key). A window's result adds its restored entry.
let rdir: usize = 0;
let rdirLen: i32 = 0;
let rdirCap: i32 = 0;

export function windowsConfigure(keyB: usize, tsB: usize, wmB: usize, sizeMs: f64, slideMs: f64, offsetMs: f64, latenessMs: f64, mode: i32): void {
  keyBase = keyB;
  tsBase = tsB;
  wmBase = wmB;
  const size = <i64>sizeMs;
  const slide = <i64>slideMs;
  let a = size;
  let b = slide;
  while (b != 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  g = a;
  k = slide / g;
  w = size / g;
  offset = <i64>offsetMs;
  lateness = <i64>latenessMs;
  emitMode = mode;
  seq = 0;
  nextFireA = NEG;
  lastW = NEG;
  curLo = 1;
  curHi = 0;
  touchAll = emitMode == UPDATE;
  touchLate = emitMode == FINAL && lateness > 0;
  touchedCap = 1024;
  touched = alloc(<usize>touchedCap << 2);
  touchedLen = 0;
  rdirLen = 0;
  rdirCap = 0;
  scratch = newEntry(-1);
  blocksConfigure(w);
}

// @ts-ignore: decorator
@inline function floorDiv(a: i64, b: i64): i64 {
  const q = a / b;
  return (a % b != 0 && (a ^ b) < 0) ? q - 1 : q;
}

// @ts-ignore: decorator
@inline function floorMod(a: i64, b: i64): i64 {
  const r = a % b;
  return r < 0 ? r + b : r;
}

// @ts-ignore: decorator
@inline function alignUp(a: i64): i64 {
  const r = floorMod(a, k);
  return r == 0 ? a : a + (k - r);
}

// @ts-ignore: decorator
@inline export function wmInt(wm: f64): i64 {
  if (wm == -Infinity) return NEG;
  if (wm == Infinity) return POS;
  return <i64>wm;
}

/** Last ms a window starting at slice a covers: end - 1. */
// @ts-ignore: decorator
@inline function maxTimestamp(a: i64): i64 {
  return offset + (a + w) * g - 1;
}

/** Oldest window start that is not past allowed lateness at W. */
function firstAlive(W: i64): i64 {
  if (emitMode == COMPLETE || W == NEG) return NEG;
  if (W == POS) return POS;
  return alignUp(floorDiv(W + 1 - lateness - offset, g) - w + 1);
}

// ---- restored windows ------------------------------------------------------------

// @ts-ignore: decorator
@inline function rdirAt(i: i32): usize {
  return rdir + (<usize>i << 4);
}

/** First restored window with start >= a (and key >= key). */
function rdirLowerBound(a: i64, key: i32): i32 {
  let lo = 0;
  let hi = rdirLen;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const r = rdirAt(mid);
    const ra = load<i64>(r);
    if (ra < a || (ra == a && load<i32>(r, 8) < key)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function rdirFind(a: i64, key: i32): i32 {
  if (rdirLen == 0) return -1;
  const i = rdirLowerBound(a, key);
  if (i < rdirLen && load<i64>(rdirAt(i)) == a && load<i32>(rdirAt(i), 8) == key) return load<i32>(rdirAt(i), 12);
  return -1;
}

function rdirDropExpired(W: i64): void {
  const alive = firstAlive(W);
  let n = 0;
  while (n < rdirLen && load<i64>(rdirAt(n)) < alive) releaseEntry(load<i32>(rdirAt(n++), 12));
  if (n == 0) return;
  rdirLen -= n;
  if (rdirLen > 0) memory.copy(rdir, rdirAt(n), <usize>rdirLen << 4);
}

// ---- emitting windows ------------------------------------------------------------

// @ts-ignore: decorator
@inline function startMs(a: i64): f64 {
  return <f64>(offset + a * g);
}

// @ts-ignore: decorator
@inline function endMs(a: i64): f64 {
  return <f64>(offset + (a + w) * g);
}

/** Emits window a of one key: the combination of its slices (and restored part). */
function emitWindow(key: i32, a: i64, index: i32): void {
  const row = beginRow(key, startMs(a), endMs(a), index);
  const restored = rdirFind(a, key);
  if (w == 1 && restored < 0) {
    accResults(entryPtr(find(key, a)) + HEADER, row);
    return;
  }
  const sp = entryPtr(scratch) + HEADER;
  if (accPlain()) {
    // the block association (blocks.ts), then the restored part on the left
    const list = blockList();
    const split = splitOf(a);
    let n = 0;
    let q = 0;
    for (let i = dirLowerBound(a); i < dirCount(); i++) {
      const s = load<i64>(dirAt(i));
      if (s >= a + w) break;
      const e = find(key, s);
      if (e < 0) continue;
      store<u32>(list + (<usize>n << 2), <u32>(entryPtr(e) + HEADER));
      n++;
      if (s < split) q = n;
    }
    if (restored < 0) {
      if (n == 0) accInit(sp); // (no data: empty results, as when adding slices oldest first)
      accResults(n == 0 ? sp : combineBlocks(list, n, q), row);
      return;
    }
    copyPlain(sp, entryPtr(restored) + HEADER);
    if (n > 0) mergePlain(sp, combineBlocks(list, n, q));
    accResults(sp, row);
    return;
  }
  accInit(sp);
  if (restored >= 0) accMerge(sp, entryPtr(restored) + HEADER);
  for (let i = dirLowerBound(a); i < dirCount(); i++) {
    const s = load<i64>(dirAt(i));
    if (s >= a + w) break;
    const e = find(key, s);
    if (e >= 0) accMerge(sp, entryPtr(e) + HEADER);
  }
  accResults(sp, row);
  accRelease(sp);
}

/** Largest scratch of the dense visit: of one slice, per key rank an address; of several, the caches of blocks.ts. */
// @ts-ignore: decorator
@inline const DENSE_MAX_BYTES: usize = 8 << 20;

// The dense visit's scratch, made at its first use in a visitRange and
// freed at the end of it. One slice: per key rank, the address of its
// entry (0: none; cleared for each window). Several slices: the key ids in
// rank order.
let dAddr: usize = 0;
let dOrder: usize = 0;
let dKeys: i32 = -1;

function denseScratch(keys: i32): void {
  dKeys = keys;
  if (w == 1) dAddr = alloc(<usize>keys << 2);
  else {
    dOrder = alloc(<usize>keys << 2);
    for (let key = 0; key < keys; key++) store<i32>(dOrder + (<usize>rankOf(key) << 2), key);
  }
}

function denseRelease(): void {
  if (dKeys < 0) return;
  if (w == 1) free(dAddr, <usize>dKeys << 2);
  else free(dOrder, <usize>dKeys << 2);
  dKeys = -1;
}

/**
 * visitWindow when the window holds many of the keys: no gathering and no
 * sort. A window of one slice places each entry at its key's rank (reading
 * the slice page by page, in memory order) and reads the ranks in order. A
 * window of several (plain accumulators only) reads each rank's combination
 * from the caches of blocks.ts. Returns false, having done nothing, when the
 * window is too sparse or the scratch would be too large.
 */
function visitDense(a: i64, first: i32, total: i32, index: i32, snapshot: bool): bool {
  const keys = keysInUse();
  if (total * 4 < keys) return false;
  if ((w == 1 ? <usize>keys << 2 : blocksBytes(keys) + (<usize>keys << 2)) > DENSE_MAX_BYTES) return false;
  if (dKeys < 0) denseScratch(keys);
  if (w == 1) {
    const es = entryStride();
    memory.fill(dAddr, 0, <usize>keys << 2);
    for (let pg = slicePage(dirAt(first)); pg >= 0; pg = pageNext(pg)) {
      let p = pageFirst(pg);
      const end = p + <usize>pageUsed(pg) * es;
      for (; p < end; p += es) store<u32>(dAddr + (<usize>rankOf(load<i32>(p)) << 2), <u32>p);
    }
    // the entries in rank order, packed without a branch on each rank (which random keys mispredict)
    let n: usize = 0;
    for (let r = 0; r < keys; r++) {
      const p = load<u32>(dAddr + (<usize>r << 2));
      store<u32>(dAddr + (n << 2), p);
      n += <usize>(p != 0);
    }
    for (let j: usize = 0; j < n; j++) {
      const p = <usize>load<u32>(dAddr + (j << 2));
      const key = load<i32>(p);
      if (snapshot) snapshotWindow(key, startMs(a), endMs(a), p + HEADER);
      else {
        const row = beginRow(key, startMs(a), endMs(a), index);
        if (!accResultsQuick(p + HEADER, row)) accResults(p + HEADER, row);
      }
    }
    return true;
  }
  blocksPrepare(a);
  for (let r = 0; r < keys; r++) {
    const acc = blocksWindowAt(a, r);
    if (acc == 0) continue;
    const key = load<i32>(dOrder + (<usize>r << 2));
    if (snapshot) snapshotWindow(key, startMs(a), endMs(a), acc);
    else {
      const row = beginRow(key, startMs(a), endMs(a), index);
      if (!accResultsQuick(acc, row)) accResults(acc, row);
    }
  }
  return true;
}

/**
 * Visits window a for every key with data in it, in key order: gathers the
 * entries of its slices (and its restored windows) with their key ranks,
 * sorts them by rank and combines each key's run. `snapshot`: hands each
 * window's combined accumulators to the host instead of emitting a row.
 */
function visitWindow(a: i64, index: i32, snapshot: bool): void {
  const first = dirLowerBound(a);
  let total = 0;
  let last = first;
  for (; last < dirCount() && load<i64>(dirAt(last)) < a + w; last++) total += load<i32>(dirAt(last), 12);
  let rfirst = rdirLen;
  let rlast = rdirLen;
  if (rdirLen > 0) {
    rfirst = rdirLowerBound(a, i32.MIN_VALUE);
    rlast = rfirst;
    while (rlast < rdirLen && load<i64>(rdirAt(rlast)) == a) rlast++;
    total += rlast - rfirst;
  }
  if (total == 0) return;
  if (rfirst == rlast && (w == 1 || accPlain()) && visitDense(a, first, total, index, snapshot)) return;
  gatherReset(total);
  for (let i = rfirst; i < rlast; i++) {
    const e = load<i32>(rdirAt(i), 12);
    gatherPush(rankOf(load<i32>(rdirAt(i), 8)), e);
  }
  for (let i = first; i < last; i++) {
    for (let e = sliceFirst(dirAt(i)); e >= 0; e = sliceNext(e)) gatherPush(rankOf(load<i32>(entryPtr(e))), e);
  }
  gatherSort();
  const n = gatherCount();
  const sp = entryPtr(scratch) + HEADER;
  const list = accPlain() ? blockList() : 0;
  const split = splitOf(a);
  let j = 0;
  while (j < n) {
    const rank = sortedRank(j);
    const e0 = sortedItem(j);
    let end = j + 1;
    while (end < n && sortedRank(end) == rank) end++;
    const key = load<i32>(entryPtr(e0));
    let acc = entryPtr(e0) + HEADER;
    if (end > j + 1 && accPlain()) {
      // the block association (blocks.ts) over the run's slices (in ascending order: the sort is stable), the restored part on the left
      let m = j;
      const restored = isLoose(e0);
      if (restored) m++;
      let q = 0;
      for (let t = m; t < end; t++) {
        const e = sortedItem(t);
        store<u32>(list + (<usize>(t - m) << 2), <u32>(entryPtr(e) + HEADER));
        if (sliceOfEntry(e) < split) q = t - m + 1;
      }
      acc = combineBlocks(list, end - m, q);
      if (restored) {
        copyPlain(sp, entryPtr(e0) + HEADER);
        mergePlain(sp, acc);
        acc = sp;
      }
    } else if (end > j + 1) {
      accInit(sp);
      for (let m = j; m < end; m++) accMerge(sp, entryPtr(sortedItem(m)) + HEADER);
      acc = sp;
    }
    if (snapshot) snapshotWindow(key, startMs(a), endMs(a), acc);
    else accResults(acc, beginRow(key, startMs(a), endMs(a), index));
    if (end > j + 1 && !accPlain()) accRelease(sp);
    j = end;
  }
}

/** Start of the first window with data at or after `from` (NEG: from the first), or POS. */
function nextWindowWithData(from: i64): i64 {
  let best = POS;
  const i = from == NEG ? 0 : dirLowerBound(from);
  if (i < dirCount()) {
    const cand = alignUp(load<i64>(dirAt(i)) - w + 1);
    best = cand < from ? from : cand;
  }
  if (rdirLen > 0) {
    const r = from == NEG ? 0 : rdirLowerBound(from, i32.MIN_VALUE);
    if (r < rdirLen && load<i64>(rdirAt(r)) < best) best = load<i64>(rdirAt(r));
  }
  return best;
}

/** Visits, in ascending start, every window with data whose start is in [from, last]; returns where it stopped. */
function visitRange(from: i64, last: i64, index: i32, snapshot: bool): i64 {
  let a = from;
  for (;;) {
    const cand = nextWindowWithData(a);
    if (cand == POS || cand > last) break;
    visitWindow(cand, index, snapshot);
    a = cand + k;
  }
  denseRelease();
  return a;
}

/** Ends a step at watermark W: fires completed windows (final), all windows (complete), frees expired state. */
export function stepTo(W: i64, index: i32): void {
  lastW = W;
  if (emitMode == COMPLETE) {
    visitRange(NEG, POS, index, false);
    return;
  }
  if (emitMode == FINAL && W != NEG && (nextFireA == NEG || W >= maxTimestamp(nextFireA))) {
    const last = W == POS ? POS : floorDiv(W + 1 - offset, g) - w;
    const lastAligned = last == POS ? POS : last - floorMod(last, k);
    const next = visitRange(nextFireA, lastAligned, index, false);
    nextFireA = lastAligned == POS ? POS : max(next, lastAligned + k);
  }
  while (dirCount() > 0) {
    const s = load<i64>(dirAt(0));
    if (W < maxTimestamp(s - floorMod(s, k)) + lateness) break;
    dropOldestSlice();
  }
  if (rdirLen > 0) rdirDropExpired(W);
}

// ---- records ---------------------------------------------------------------------

/** Slice of event time t; updates the one-slice cache. */
// @ts-ignore: decorator
@inline function sliceOf(t: i64): i64 {
  if (t < curLo || t >= curHi) {
    curSlice = floorDiv(t - offset, g);
    curLo = offset + curSlice * g;
    curHi = curLo + g;
    curNewest = curSlice - floorMod(curSlice, k);
    curOldest = alignUp(curSlice - w + 1);
    curDropAt = maxTimestamp(curNewest) + lateness;
    curOldestMax = maxTimestamp(curOldest);
  }
  return curSlice;
}

/** Adds record i judged against W; returns its entry, or -1 when every window dropped it (late). */
// @ts-ignore: decorator
@inline function addRecord(i: i32, W: i64): i32 {
  const key = load<i32>(keyBase + (<usize>i << 2));
  const s = sliceOf(<i64>load<f64>(tsBase + (<usize>i << 3)));
  const recordSeq = seq;
  seq += 1;
  if (emitMode != COMPLETE && curDropAt <= W) {
    pushLate(i);
    return -1;
  }
  if (w > 1) blocksTouch(s);
  const e = findOrInsert(key, s, false);
  if (entryMade()) accFirst(entryPtr(e) + HEADER, i, recordSeq);
  else accAddQuick(entryPtr(e) + HEADER, i, recordSeq);
  return e;
}

function touch(e: i32): void {
  const at = stampAt(e);
  if (load<i32>(at) == stepStamp) return;
  store<i32>(at, stepStamp);
  if (touchedLen == touchedCap) {
    const cap = touchedCap << 1;
    touched = resize(touched, <usize>touchedCap << 2, <usize>cap << 2, <usize>touchedLen << 2);
    touchedCap = cap;
  }
  store<i32>(touched + (<usize>(touchedLen++) << 2), e);
}

/**
 * Micro-batch: adds records [0, n) judged against W, remembering entries
 * whose windows may need a late or update row. Returns the largest event
 * time of the records (-Infinity for none).
 */
export function accumulateRecords(n: i32, W: i64): f64 {
  let largest = -Infinity;
  for (let i = 0; i < n; i++) {
    largest = greater(largest, load<f64>(tsBase + (<usize>i << 3)));
    const e = addRecord(i, W);
    if (e < 0) continue;
    // (without allowed lateness no complete window can take the record: nothing to fire late)
    if (touchAll || (touchLate && curOldestMax <= W)) touch(e);
  }
  return largest;
}

/** Continuous: record i is judged against wm[i] and followed by a step at wm[i + 1]. */
export function continuousRecords(n: i32): void {
  let Wj = wmInt(load<f64>(wmBase));
  for (let i = 0; i < n; i++) {
    const Wa = wmInt(load<f64>(wmBase + (<usize>(i + 1) << 3)));
    const e = addRecord(i, Wj);
    if (e >= 0 && emitMode != COMPLETE) {
      const key = load<i32>(keyBase + (<usize>i << 2));
      if (emitMode == UPDATE) {
        for (let a = curOldest; a <= curNewest; a += k) if (maxTimestamp(a) + lateness > Wj) emitWindow(key, a, i);
      } else if (maxTimestamp(curOldest) <= Wj) {
        // Late firings: windows already complete that took the record.
        for (let a = curOldest; a <= curNewest; a += k) {
          const m = maxTimestamp(a);
          if (m <= Wj && m + lateness > Wj) emitWindow(key, a, i);
        }
      }
    }
    stepTo(Wa, i);
    Wj = Wa;
  }
}

/** Ends a micro-batch step. */
export function endStep(W: i64, index: i32): void {
  stepTo(W, index);
  stepStamp++;
  touchedLen = 0;
}

export function touchedCount(): i32 {
  return touchedLen;
}

export function touchedBase(): usize {
  return touched;
}

/** Emits the windows the host lists: {key i32, pad, a f64} each. */
export function emitListed(req: usize, n: i32, index: i32): void {
  for (let j = 0; j < n; j++) {
    const r = req + (<usize>j << 4);
    emitWindow(load<i32>(r), <i64>load<f64>(r, 8), index);
  }
}

// ---- snapshots -------------------------------------------------------------------

/** Hands every live window's combined accumulators to the host (snapshotWindow), in start then key order. */
export function snapshotWindows(): void {
  visitRange(firstAlive(lastW), POS, -1, true);
}

/**
 * A window restored from a checkpoint; returns where to write its
 * accumulators. Tumbling windows become their slice; sliding windows go to
 * the restored-window table. Call restoreDone after the last one.
 */
export function restoreWindow(key: i32, aF: f64): usize {
  const a = <i64>aF;
  if (w == 1) return entryPtr(findOrInsert(key, a)) + HEADER;
  if (rdirLen == rdirCap) {
    const cap = rdirCap == 0 ? 64 : rdirCap << 1;
    rdir = resize(rdir, <usize>rdirCap << 4, <usize>cap << 4, <usize>rdirLen << 4);
    rdirCap = cap;
  }
  const e = newEntry(key);
  const r = rdirAt(rdirLen++);
  store<i64>(r, a);
  store<i32>(r, key, 8);
  store<i32>(r, e, 12);
  return entryPtr(e) + HEADER;
}

/** Finishes a restore: sorts restored windows, and resumes at watermark W and arrival number `nextSeq`. */
export function restoreDone(W: i64, nextSeq: f64): void {
  // Insertion sort by (a, key): restores are rare and arrive mostly in order.
  for (let i = 1; i < rdirLen; i++) {
    const a = load<i64>(rdirAt(i));
    const key = load<i32>(rdirAt(i), 8);
    const e = load<i32>(rdirAt(i), 12);
    let j = i - 1;
    while (j >= 0 && (load<i64>(rdirAt(j)) > a || (load<i64>(rdirAt(j)) == a && load<i32>(rdirAt(j), 8) > key))) {
      memory.copy(rdirAt(j + 1), rdirAt(j), 16);
      j--;
    }
    store<i64>(rdirAt(j + 1), a);
    store<i32>(rdirAt(j + 1), key, 8);
    store<i32>(rdirAt(j + 1), e, 12);
  }
  blocksForget();
  lastW = W;
  seq = nextSeq;
  if (W != NEG) {
    const last = W == POS ? POS : floorDiv(W + 1 - offset, g) - w;
    nextFireA = last == POS ? POS : last - floorMod(last, k) + k;
  }
}

export function nextSeq(): f64 {
  return seq;
}

// ---- accounting ------------------------------------------------------------------

/**
 * (key, window) pairs holding state: per key, the union of the windows of
 * its slices that are not past allowed lateness (those the reference
 * kernel would still keep), plus restored windows.
 */
export function openWindows(): f64 {
  const alive = firstAlive(lastW);
  const keys = keyCapacity();
  const lastCounted = alloc(<usize>keys << 3); // per key: newest window start counted so far
  for (let j = 0; j < keys; j++) store<i64>(lastCounted + (<usize>j << 3), NEG);
  let total: f64 = 0;
  // Slices ascend, so a key's later slices only add windows after those counted.
  for (let i = 0; i < dirCount(); i++) {
    const s = load<i64>(dirAt(i));
    const newest = s - floorMod(s, k);
    let oldest = alignUp(s - w + 1);
    if (oldest < alive) oldest = alive;
    for (let e = sliceFirst(dirAt(i)); e >= 0; e = sliceNext(e)) {
      const at = lastCounted + (<usize>load<i32>(entryPtr(e)) << 3);
      const seen = load<i64>(at);
      const from = seen == NEG || oldest > seen + k ? oldest : seen + k;
      if (newest >= from) total += <f64>((newest - from) / k + 1);
      if (newest > seen) store<i64>(at, newest);
    }
  }
  free(lastCounted, <usize>keys << 3);
  // Restored windows not also covered by a slice of the same key.
  for (let i = 0; i < rdirLen; i++) {
    const a = load<i64>(rdirAt(i));
    if (a < alive) continue;
    const key = load<i32>(rdirAt(i), 8);
    let covered = false;
    for (let d = dirLowerBound(a); d < dirCount() && load<i64>(dirAt(d)) < a + w; d++) {
      if (find(key, load<i64>(dirAt(d))) >= 0) {
        covered = true;
        break;
      }
    }
    if (!covered) total += 1;
  }
  return total;
}
