// How a sliding window combines its slices when the accumulators are plain
// (counts, sums, minima and maxima), and what consecutive windows share.
//
// Slices are grouped in blocks of w (the slices of a window), aligned at
// multiples of w, so a window [a, a + w) meets at most two blocks: the
// tail of block b = floor(a / w), from a on (its "left part"), and the head
// of block b + 1 up to a + w - 1 (its "right part"). The left part is
// combined from its newest slice down to a (each older slice on the left),
// the right part from the oldest up, and the window is left ⊕ right. Every
// path (dense visit, gathering visit, single window) combines this way,
// so both modes give the same bits.
//
// The dense visit keeps, by key rank, the left parts of every window
// starting in one block (its suffixes: built once, when its first window is
// visited) and one running right part (the block's prefix, one slice longer
// for each window), so a window costs one merge a key instead of one a
// slice. A record that lands in a slice either already holds drops both
// (blocksTouch), and so do new keys, whose ranks move.
import { alloc, free } from "./heap";
import { accCount, accSize, copyPlain, joinPlain, mergePlain, mergePlainLeft } from "./accumulators";
import { dirAt, dirCount, dirLowerBound, entryStride, HEADER, keysInUse, pageFirst, pageNext, pageUsed, rankOf, slicePage } from "./table";

// @ts-ignore: decorator
@inline const NONE: i64 = i64.MIN_VALUE;

let w: i64 = 1;
let bytes: usize = 0;
// Scratch accumulators of one window: its left part, its right part.
let tmpL: usize = 0;
let tmpR: usize = 0;

// Caches of the dense visit, by key rank (an empty place has count 0).
let cKeys: i32 = -1; // keys (and so ranks) the caches were made for
let suffixes: usize = 0; // w arrays: suffix i of block sufBlock (slices sufBlock·w + i .. end of block)
let sufBlock: i64 = NONE;
let prefix: usize = 0; // one array: slices preBlock·w .. preTo
let preBlock: i64 = NONE;
let preTo: i64 = NONE;
let cachedMax: i64 = NONE; // newest slice any cache holds

export function blocksConfigure(slicesPerWindow: i64): void {
  w = slicesPerWindow;
  bytes = accSize();
  tmpL = alloc(bytes);
  tmpR = alloc(bytes);
  cKeys = -1;
  suffixes = 0;
  prefix = 0;
  listAt = 0;
  listCap = 0;
  blocksForget();
}

// @ts-ignore: decorator
@inline function floorDiv(a: i64, b: i64): i64 {
  const q = a / b;
  return (a % b != 0 && (a ^ b) < 0) ? q - 1 : q;
}

/** First slice of the block after the one holding a: where a window starting at a splits. */
// @ts-ignore: decorator
@inline export function splitOf(a: i64): i64 {
  return (floorDiv(a, w) + 1) * w;
}

/**
 * Combines plain accumulators list[0..n) (u32 addresses, in ascending
 * slice order; those before index q lie before the split) by the block
 * association. Returns the address of the result: an item itself when
 * there is one, else a scratch accumulator valid until the next call.
 */
export function combineBlocks(list: usize, n: i32, q: i32): usize {
  if (n == 1) return <usize>load<u32>(list);
  if (q > 0) {
    copyPlain(tmpL, <usize>load<u32>(list + (<usize>(q - 1) << 2)));
    for (let t = q - 2; t >= 0; t--) mergePlainLeft(tmpL, <usize>load<u32>(list + (<usize>t << 2)));
  }
  if (q < n) {
    copyPlain(tmpR, <usize>load<u32>(list + (<usize>q << 2)));
    for (let t = q + 1; t < n; t++) mergePlain(tmpR, <usize>load<u32>(list + (<usize>t << 2)));
  }
  if (q == 0) return tmpR;
  if (q < n) mergePlain(tmpL, tmpR);
  return tmpL;
}

// ---- caches of the dense visit -------------------------------------------------

/** Drops what the caches hold (their memory stays while the keys stay). */
export function blocksForget(): void {
  sufBlock = NONE;
  preBlock = NONE;
  preTo = NONE;
  cachedMax = NONE;
}

/** A record lands in slice s: caches that hold s are stale. */
// @ts-ignore: decorator
@inline export function blocksTouch(s: i64): void {
  if (s <= cachedMax) blocksForget();
}

function release(): void {
  if (cKeys < 0) return;
  const arr = <usize>cKeys * bytes;
  free(suffixes, <usize>w * arr);
  free(prefix, arr);
  cKeys = -1;
}

/** Bytes the caches would take for `keys` keys. */
export function blocksBytes(keys: i32): usize {
  return (<usize>w + 1) * <usize>keys * bytes;
}

/** Folds slice s's entries into `arr` (by rank): `left`: each entry on the left of what the place holds. */
function foldSlice(arr: usize, s: i64, left: bool): void {
  if (s > cachedMax) cachedMax = s; // (also when s has no entries yet: a record that lands there later drops the caches)
  const i = dirLowerBound(s);
  if (i >= dirCount() || load<i64>(dirAt(i)) != s) return;
  const es = entryStride();
  for (let pg = slicePage(dirAt(i)); pg >= 0; pg = pageNext(pg)) {
    let p = pageFirst(pg);
    const end = p + <usize>pageUsed(pg) * es;
    for (; p < end; p += es) {
      const at = arr + <usize>rankOf(load<i32>(p)) * bytes;
      if (accCount(at) == 0) copyPlain(at, p + HEADER);
      else if (left) mergePlainLeft(at, p + HEADER);
      else mergePlain(at, p + HEADER);
    }
  }
}

/**
 * Readies the caches for window a: the suffixes of its block and, unless
 * a starts the block, the prefix of the next one up to a + w - 1.
 */
export function blocksPrepare(a: i64): void {
  const keys = keysInUse();
  const arr = <usize>keys * bytes;
  if (cKeys != keys) {
    release();
    suffixes = alloc(<usize>w * arr);
    prefix = alloc(arr);
    cKeys = keys;
    blocksForget();
  }
  const b = floorDiv(a, w);
  if (sufBlock != b) {
    // from the block's newest slice down: suffix i is slice b·w + i on the left of suffix i + 1
    const last = <usize>(w - 1) * arr;
    memory.fill(suffixes + last, 0, arr);
    foldSlice(suffixes + last, b * w + w - 1, true);
    for (let i = w - 2; i >= 0; i--) {
      const at = suffixes + <usize>i * arr;
      memory.copy(at, at + arr, arr);
      foldSlice(at, b * w + i, true);
    }
    sufBlock = b;
  }
  if (a == b * w) return;
  const to = a + w - 1;
  if (preBlock != b + 1 || preTo > to) {
    memory.fill(prefix, 0, arr);
    preBlock = b + 1;
    preTo = (b + 1) * w - 1;
  }
  for (let s = preTo + 1; s <= to; s++) foldSlice(prefix, s, false);
  preTo = to;
}

/**
 * Window a's combined accumulators at rank r (after blocksPrepare(a)), or
 * 0 when the key has no data in the window: a cached place, or `tmpL`.
 */
// @ts-ignore: decorator
@inline export function blocksWindowAt(a: i64, r: i32): usize {
  const arr = <usize>cKeys * bytes;
  const left = suffixes + <usize>(a - sufBlock * w) * arr + <usize>r * bytes;
  const hasLeft = accCount(left) != 0;
  if (a == sufBlock * w) return hasLeft ? left : 0;
  const right = prefix + <usize>r * bytes;
  if (accCount(right) == 0) return hasLeft ? left : 0;
  if (!hasLeft) return right;
  joinPlain(tmpL, left, right);
  return tmpL;
}

// For windows.ts: scratch for the list of one window's accumulators (w + 1 addresses).
let listAt: usize = 0;
let listCap: i64 = 0;

export function blockList(): usize {
  if (listCap < w) {
    if (listCap > 0) free(listAt, <usize>listCap << 2);
    listAt = alloc(<usize>w << 2);
    listCap = w;
  }
  return listAt;
}
