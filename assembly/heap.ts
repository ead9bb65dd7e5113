// The kernel's heap: size classes with free lists, carved from
// the top of linear memory. Tables, entries and sketch buffers live here.
// Memory grows when the heap needs it; the host re-creates its views after
// every call (see src/kernel/wasm/layout.ts).

// Size classes: 16, 32 and 64 bytes, then four per power of two (80, 96,
// 112, 128, 160, ...), so that a block is at most a quarter larger than
// what was asked for; every class is a multiple of 16 bytes.
// @ts-ignore: decorator
@inline const CLASSES: i32 = 3 + 4 * 24; // up to 1 GiB blocks

let freeLists: usize = 0;
let top: usize = 0;
let inUse: usize = 0;

/** Starts the heap at `start` (above the host's fixed regions). */
export function heapInit(start: usize): void {
  freeLists = (start + 15) & ~(<usize>15);
  top = freeLists + <usize>(CLASSES * 4);
  top = (top + 15) & ~(<usize>15);
  ensureMemory(top);
  memory.fill(freeLists, 0, <usize>(CLASSES * 4));
  inUse = 0;
}

/** Bytes of heap blocks in use. */
export function heapInUse(): usize {
  return inUse;
}

// @ts-ignore: decorator
@inline function classOf(bytes: usize): i32 {
  if (bytes <= 64) return bytes <= 16 ? 0 : bytes <= 32 ? 1 : 2;
  const p = 32 - clz<i32>(<i32>(bytes - 1)); // 2^(p-1) < bytes <= 2^p, p >= 7
  const quarter = <usize>(p - 3);
  const q = <i32>((bytes - (<usize>1 << (quarter + 2)) + (<usize>1 << quarter) - 1) >> quarter); // 1..4
  return 3 + ((p - 7) << 2) + q - 1;
}

// @ts-ignore: decorator
@inline function classSize(c: i32): usize {
  if (c < 3) return (<usize>16) << (<usize>c);
  const quarter = <usize>(((c - 3) >> 2) + 4);
  return ((<usize>4 + <usize>((c - 3) & 3) + 1)) << quarter;
}

/** Size of the block that a request of `bytes` gets. */
// @ts-ignore: decorator
@inline export function blockSize(bytes: usize): usize {
  return classSize(classOf(bytes));
}

function ensureMemory(end: usize): void {
  const have = <usize>memory.size() << 16;
  if (end <= have) return;
  const need = <i32>((end - have + 0xffff) >> 16);
  // Grow by at least a quarter of what there is, so growth is amortised.
  const want = max(need, memory.size() >> 2);
  if (memory.grow(want) < 0 && memory.grow(need) < 0) unreachable();
}

/** A block of at least `bytes` (not zeroed), 16-byte aligned. */
export function alloc(bytes: usize): usize {
  const c = classOf(bytes);
  const head = freeLists + (<usize>c << 2);
  const p = <usize>load<u32>(head);
  const size = classSize(c);
  inUse += size;
  if (p != 0) {
    store<u32>(head, load<u32>(p));
    return p;
  }
  const q = top;
  top += size;
  ensureMemory(top);
  return q;
}

/** A zeroed block of at least `bytes`. */
export function allocZeroed(bytes: usize): usize {
  const p = alloc(bytes);
  memory.fill(p, 0, bytes);
  return p;
}

/**
 * Moves block p (obtained for `oldBytes`; 0: there is none) to a new block
 * of at least `bytes`, keeping its first `used` bytes; the rest is not zeroed.
 */
export function resize(p: usize, oldBytes: usize, bytes: usize, used: usize): usize {
  const q = alloc(bytes);
  if (used > 0) memory.copy(q, p, used);
  if (oldBytes > 0) free(p, oldBytes);
  return q;
}

/** Returns a block obtained for `bytes` (the same size that was asked for). */
export function free(p: usize, bytes: usize): void {
  const c = classOf(bytes);
  const head = freeLists + (<usize>c << 2);
  store<u32>(p, load<u32>(head));
  store<u32>(head, <u32>p);
  inUse -= classSize(c);
}
