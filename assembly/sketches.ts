// Variable-size accumulator parts, each behind a small inline header in an
// entry: HyperLogLog registers, DDSketch stores, exact value lists and id
// sets. Every algorithm here mirrors src/aggregate/ step for step, so that
// results are bit-identical to the reference kernel's.
import { alloc, allocZeroed, free, resize } from "./heap";

// ---- HyperLogLog (src/aggregate/hyperloglog.ts) ----------------------------
// Inline part (8 bytes): ptr u32 | size i32. size >= 0: sparse, `size`
// (register index << 8 | value) pairs in a block of sparseCap(size) u32s;
// size == -1: dense, 2^p one-byte registers. Small windows stay sparse
// (a few bytes, and an estimate in O(pairs)); past SPARSE_MAX pairs the
// sketch turns dense. Both forms give the same register histogram, hence
// the same estimate as the reference kernel's dense registers.

// @ts-ignore: decorator
@inline const SPARSE_MAX: i32 = 32;

// @ts-ignore: decorator
@inline function sparseCap(size: i32): i32 {
  return size <= 4 ? 4 : <i32>(1 << (32 - clz<i32>(size - 1)));
}

/** Register index and value of a 64-bit hash. */
// @ts-ignore: decorator
@inline function hllRho(p: i32, hi: u32, lo: u32): u32 {
  const rest = hi << p;
  if (rest != 0) return clz<u32>(rest) + 1;
  return <u32>(32 - p) + (lo == 0 ? 32 : clz<u32>(lo)) + 1;
}

function denseSet(reg: usize, idx: u32, rho: u32): void {
  const at = reg + <usize>idx;
  if (rho > <u32>load<u8>(at)) store<u8>(at, <u8>rho);
}

function toDense(h: usize, p: i32): void {
  const size = load<i32>(h, 4);
  const sp = <usize>load<u32>(h);
  const reg = allocZeroed(<usize>1 << <usize>p);
  for (let i = 0; i < size; i++) {
    const pair = load<u32>(sp + (<usize>i << 2));
    denseSet(reg, pair >>> 8, pair & 0xff);
  }
  if (sp != 0) free(sp, <usize>sparseCap(size) << 2);
  store<u32>(h, <u32>reg);
  store<i32>(h, -1, 4);
}

/** Sets register idx to at least rho in the sketch at h. */
function hllSet(h: usize, p: i32, idx: u32, rho: u32): void {
  let size = load<i32>(h, 4);
  if (size < 0) {
    denseSet(<usize>load<u32>(h), idx, rho);
    return;
  }
  let sp = <usize>load<u32>(h);
  for (let i = 0; i < size; i++) {
    const at = sp + (<usize>i << 2);
    const pair = load<u32>(at);
    if (pair >>> 8 == idx) {
      if (rho > (pair & 0xff)) store<u32>(at, (idx << 8) | rho);
      return;
    }
  }
  if (size == SPARSE_MAX || size >= (1 << p) >> 4) {
    toDense(h, p);
    denseSet(<usize>load<u32>(h), idx, rho);
    return;
  }
  const cap = sp == 0 ? 0 : sparseCap(size);
  if (size == cap) {
    sp = resize(sp, <usize>cap << 2, <usize>sparseCap(size + 1) << 2, <usize>size << 2);
    store<u32>(h, <u32>sp);
  }
  store<u32>(sp + (<usize>size << 2), (idx << 8) | rho);
  store<i32>(h, size + 1, 4);
}

/** Adds a 64-bit hash (hi, lo) to the sketch at h (precision p). */
export function hllAdd(h: usize, p: i32, hi: u32, lo: u32): void {
  hllSet(h, p, hi >>> (32 - p), hllRho(p, hi, lo));
}

/** Merges sketch o into sketch h (same precision). */
export function hllMerge(h: usize, o: usize, p: i32): void {
  const size = load<i32>(o, 4);
  const src = <usize>load<u32>(o);
  if (size >= 0) {
    for (let i = 0; i < size; i++) {
      const pair = load<u32>(src + (<usize>i << 2));
      hllSet(h, p, pair >>> 8, pair & 0xff);
    }
    return;
  }
  if (load<i32>(h, 4) >= 0) toDense(h, p);
  const reg = <usize>load<u32>(h);
  const m = 1 << p;
  for (let i = 0; i < m; i++) {
    const x = load<u8>(src + <usize>i);
    if (x > load<u8>(reg + <usize>i)) store<u8>(reg + <usize>i, x);
  }
}

export function hllFree(h: usize, p: i32): void {
  const size = load<i32>(h, 4);
  const ptr = <usize>load<u32>(h);
  if (size < 0) free(ptr, <usize>1 << <usize>p);
  else if (ptr != 0) free(ptr, <usize>sparseCap(size) << 2);
  store<u32>(h, 0);
  store<i32>(h, 0, 4);
}

/** Sets register idx to at least `value` (restores). */
export function hllSetRegister(h: usize, p: i32, idx: i32, value: i32): void {
  if (value > 0) hllSet(h, p, <u32>idx, <u32>value);
}

/** Register value i of the sketch (for snapshots). */
export function hllRegister(h: usize, p: i32, i: i32): i32 {
  const size = load<i32>(h, 4);
  if (size < 0) return load<u8>(<usize>load<u32>(h) + <usize>i);
  const sp = <usize>load<u32>(h);
  for (let k = 0; k < size; k++) {
    const pair = load<u32>(sp + (<usize>k << 2));
    if (<i32>(pair >>> 8) == i) return pair & 0xff;
  }
  return 0;
}

function sigma(x: f64): f64 {
  if (x == 1) return Infinity;
  let y: f64 = 1;
  let z = x;
  for (;;) {
    x *= x;
    const prev = z;
    z += x * y;
    y += y;
    if (z == prev) return z;
  }
  return z; // not reached
}

function tau(x: f64): f64 {
  if (x == 0 || x == 1) return 0;
  let y: f64 = 1;
  let z = 1 - x;
  for (;;) {
    x = Math.sqrt(x);
    const prev = z;
    y *= 0.5;
    z -= (1 - x) * (1 - x) * y;
    if (z == prev) return z / 3;
  }
  return z; // not reached
}

/** Ertl's improved raw estimator over the register histogram; `hist` is scratch for 66 f64s. */
export function hllEstimate(h: usize, p: i32, hist: usize): f64 {
  const m = 1 << p;
  const q = 64 - p;
  memory.fill(hist, 0, <usize>((q + 2) << 3));
  const size = load<i32>(h, 4);
  const ptr = <usize>load<u32>(h);
  if (size >= 0) {
    store<f64>(hist, <f64>(m - size));
    for (let i = 0; i < size; i++) {
      const at = hist + (<usize>(load<u32>(ptr + (<usize>i << 2)) & 0xff) << 3);
      store<f64>(at, load<f64>(at) + 1);
    }
  } else {
    for (let i = 0; i < m; i++) {
      const at = hist + (<usize>load<u8>(ptr + <usize>i) << 3);
      store<f64>(at, load<f64>(at) + 1);
    }
  }
  const mf = <f64>m;
  let z = mf * tau(1 - load<f64>(hist + (<usize>(q + 1) << 3)) / mf);
  for (let k = q; k >= 1; k--) z = 0.5 * (z + load<f64>(hist + (<usize>k << 3)));
  z += mf * sigma(load<f64>(hist) / mf);
  if (z == Infinity) return 0;
  return Math.floor((mf * mf) / (2 * Math.LN2) / z + 0.5);
}

// ---- DDSketch (src/aggregate/ddsketch.ts) ----------------------------------
// Inline part (48 bytes): zeros f64 | pos: lo i32, len i32, ptr i32, cap i32 |
// neg: lo i32, len i32, ptr i32, cap i32 | pad. Counts are f64 (exact to 2^53).

export const DD_BYTES: usize = 48;
// @ts-ignore: decorator
@inline const DD_MULTIPLIER: f64 = 50;
// @ts-ignore: decorator
@inline const DD_MIN_INDEXABLE: f64 = 1e-9;
// @ts-ignore: decorator
@inline const DD_MAX_BUCKETS: i32 = 4096;

// @ts-ignore: decorator
@inline function ddIndex(v: f64): i32 {
  const bits = reinterpret<i64>(v);
  const e = <i32>((bits >>> 52) & 0x7ff) - 1023;
  const f = <f64>(bits & 0xfffffffffffff) / 4503599627370496.0;
  return <i32>Math.ceil((<f64>e + f) * DD_MULTIPLIER);
}

function inverseL(y: f64): f64 {
  const e = Math.floor(y);
  const pow2 = reinterpret<f64>((<i64>e + 1023) << 52);
  return pow2 * (1 + (y - e));
}

export function ddValue(i: i32): f64 {
  const lo = inverseL(<f64>(i - 1) / DD_MULTIPLIER);
  const hi = inverseL(<f64>i / DD_MULTIPLIER);
  return (2 * lo * hi) / (lo + hi);
}

/** Adds `c` to bucket i of the store at `s` (lo, len, ptr, cap), collapsing the lowest buckets past the budget. */
function storeAdd(s: usize, i: i32, c: f64): void {
  let lo = load<i32>(s);
  let len = load<i32>(s, 4);
  let ptr = <usize>load<u32>(s, 8);
  let cap = load<i32>(s, 12);
  if (len == 0) {
    if (cap == 0) {
      cap = 8;
      ptr = alloc(<usize>cap << 3);
    }
    lo = i;
    len = 1;
    store<f64>(ptr, c);
  } else {
    const hi = lo + len - 1;
    if (i > hi) {
      let newLo = lo;
      if (i - DD_MAX_BUCKETS + 1 > lo) newLo = i - DD_MAX_BUCKETS + 1;
      // Fold buckets below newLo into newLo, then shift down.
      let folded: f64 = 0;
      const cut = newLo - lo;
      for (let k = 0; k < cut && k < len; k++) folded += load<f64>(ptr + (<usize>k << 3));
      const keep = len - cut;
      const newLen = i - newLo + 1;
      if (newLen > cap) {
        let nc = cap;
        while (nc < newLen) nc <<= 1;
        const np = alloc(<usize>nc << 3);
        if (keep > 0) memory.copy(np, ptr + (<usize>cut << 3), <usize>keep << 3);
        free(ptr, <usize>cap << 3);
        ptr = np;
        cap = nc;
      } else if (cut > 0 && keep > 0) {
        memory.copy(ptr, ptr + (<usize>cut << 3), <usize>keep << 3);
      }
      const from = keep > 0 ? keep : 0;
      memory.fill(ptr + (<usize>from << 3), 0, <usize>(newLen - from) << 3);
      store<f64>(ptr, load<f64>(ptr) + folded);
      lo = newLo;
      len = newLen;
      i -= lo;
      store<f64>(ptr + (<usize>i << 3), load<f64>(ptr + (<usize>i << 3)) + c);
      i += lo;
    } else if (i < lo) {
      const floor = hi - DD_MAX_BUCKETS + 1;
      const target = i > floor ? i : floor;
      if (target < lo) {
        const grow = lo - target;
        const newLen = len + grow;
        if (newLen > cap) {
          let nc = cap;
          while (nc < newLen) nc <<= 1;
          const np = alloc(<usize>nc << 3);
          memory.copy(np + (<usize>grow << 3), ptr, <usize>len << 3);
          free(ptr, <usize>cap << 3);
          ptr = np;
          cap = nc;
        } else {
          memory.copy(ptr + (<usize>grow << 3), ptr, <usize>len << 3);
        }
        memory.fill(ptr, 0, <usize>grow << 3);
        lo = target;
        len = newLen;
      }
      const at = ptr + (<usize>(target - lo) << 3);
      store<f64>(at, load<f64>(at) + c);
    } else {
      const at = ptr + (<usize>(i - lo) << 3);
      store<f64>(at, load<f64>(at) + c);
    }
  }
  store<i32>(s, lo);
  store<i32>(s, len, 4);
  store<u32>(s, <u32>ptr, 8);
  store<i32>(s, cap, 12);
}

export function ddAdd(d: usize, v: f64): void {
  const a = Math.abs(v);
  if (a <= DD_MIN_INDEXABLE) store<f64>(d, load<f64>(d) + 1);
  else storeAdd(v > 0 ? d + 8 : d + 24, ddIndex(a), 1);
}

/** Adds `c` to bucket i of the positive (side 0) or negative (side 1) store (restores). */
export function ddAddBucket(d: usize, side: i32, i: i32, c: f64): void {
  storeAdd(side == 0 ? d + 8 : d + 24, i, c);
}

export function ddMerge(d: usize, o: usize): void {
  store<f64>(d, load<f64>(d) + load<f64>(o));
  for (let side: usize = 8; side <= 24; side += 16) {
    const s = o + side;
    const lo = load<i32>(s);
    const len = load<i32>(s, 4);
    const ptr = <usize>load<u32>(s, 8);
    for (let k = 0; k < len; k++) {
      const c = load<f64>(ptr + (<usize>k << 3));
      if (c > 0) storeAdd(d + side, lo + k, c);
    }
  }
}

/** The value at rank floor(q * (n - 1)); NaN when empty. `n` is the number of values added. */
export function ddQuantile(d: usize, q: f64, n: f64): f64 {
  if (n == 0) return NaN;
  const rank = Math.floor(q * (n - 1));
  let seen: f64 = 0;
  const nlo = load<i32>(d, 24);
  const nlen = load<i32>(d, 28);
  const nptr = <usize>load<u32>(d, 32);
  for (let k = nlen - 1; k >= 0; k--) {
    seen += load<f64>(nptr + (<usize>k << 3));
    if (seen > rank) return -ddValue(nlo + k);
  }
  seen += load<f64>(d);
  if (seen > rank) return 0;
  const plo = load<i32>(d, 8);
  const plen = load<i32>(d, 12);
  const pptr = <usize>load<u32>(d, 16);
  for (let k = 0; k < plen; k++) {
    seen += load<f64>(pptr + (<usize>k << 3));
    if (seen > rank) return ddValue(plo + k);
  }
  return NaN;
}

export function ddFree(d: usize): void {
  for (let side: usize = 8; side <= 24; side += 16) {
    const cap = load<i32>(d + side, 12);
    if (cap > 0) free(<usize>load<u32>(d + side, 8), <usize>cap << 3);
  }
}

// ---- Growable f64 lists (exact percentiles) --------------------------------
// Inline part (16 bytes): ptr u32 | len i32 | cap i32 | pad.

export function listPush(l: usize, v: f64): void {
  let ptr = <usize>load<u32>(l);
  const len = load<i32>(l, 4);
  let cap = load<i32>(l, 8);
  if (len == cap) {
    const nc = cap == 0 ? 4 : cap << 1;
    ptr = resize(ptr, <usize>cap << 3, <usize>nc << 3, <usize>len << 3);
    cap = nc;
    store<u32>(l, <u32>ptr);
    store<i32>(l, cap, 8);
  }
  store<f64>(ptr + (<usize>len << 3), v);
  store<i32>(l, len + 1, 4);
}

export function listAppend(l: usize, o: usize): void {
  const ptr = <usize>load<u32>(o);
  const len = load<i32>(o, 4);
  for (let k = 0; k < len; k++) listPush(l, load<f64>(ptr + (<usize>k << 3)));
}

export function listFree(l: usize): void {
  const cap = load<i32>(l, 8);
  if (cap > 0) free(<usize>load<u32>(l), <usize>cap << 3);
}

// ---- Growable i32 sets (exact distinct counts) -----------------------------
// Inline part (16 bytes): ptr u32 | size i32 | cap i32 (power of two) | pad.
// Open addressing, slots hold id + 1 (0 = empty).

// @ts-ignore: decorator
@inline function mixId(x: u32): u32 {
  x ^= x >>> 16;
  x *= 0x7feb352d;
  x ^= x >>> 15;
  x *= 0x846ca68b;
  x ^= x >>> 16;
  return x;
}

function setInsert(ptr: usize, cap: i32, id: i32): bool {
  const mask = <u32>(cap - 1);
  let h = mixId(<u32>id) & mask;
  for (;;) {
    const at = ptr + (<usize>h << 2);
    const v = load<i32>(at);
    if (v == 0) {
      store<i32>(at, id + 1);
      return true;
    }
    if (v == id + 1) return false;
    h = (h + 1) & mask;
  }
  return false; // not reached
}

export function setAdd(s: usize, id: i32): void {
  let ptr = <usize>load<u32>(s);
  const size = load<i32>(s, 4);
  let cap = load<i32>(s, 8);
  if ((size + 1) * 2 > cap) {
    const nc = cap == 0 ? 8 : cap << 1;
    const np = allocZeroed(<usize>nc << 2);
    for (let k = 0; k < cap; k++) {
      const v = load<i32>(ptr + (<usize>k << 2));
      if (v != 0) setInsert(np, nc, v - 1);
    }
    if (cap > 0) free(ptr, <usize>cap << 2);
    ptr = np;
    cap = nc;
    store<u32>(s, <u32>ptr);
    store<i32>(s, cap, 8);
  }
  if (setInsert(ptr, cap, id)) store<i32>(s, size + 1, 4);
}

export function setUnion(s: usize, o: usize): void {
  const ptr = <usize>load<u32>(o);
  const cap = load<i32>(o, 8);
  for (let k = 0; k < cap; k++) {
    const v = load<i32>(ptr + (<usize>k << 2));
    if (v != 0) setAdd(s, v - 1);
  }
}

export function setFree(s: usize): void {
  const cap = load<i32>(s, 8);
  if (cap > 0) free(<usize>load<u32>(s), <usize>cap << 2);
}
