// The kernel's heap: power-of-two size classes with free lists, carved from
// the top of linear memory. Tables, entries and sketch buffers live here.
// Memory grows when the heap needs it; the host re-creates its views after
// every call (see src/kernel/wasm/layout.ts).

// @ts-ignore: decorator
@inline const MIN_SHIFT: i32 = 4; // 16-byte blocks at least
// @ts-ignore: decorator
@inline const CLASSES: i32 = 27; // up to 1 GiB blocks

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
  if (bytes <= <usize>(1 << MIN_SHIFT)) return 0;
  return (32 - clz<i32>(<i32>(bytes - 1))) - MIN_SHIFT;
}

/** Size of the block that a request of `bytes` gets. */
// @ts-ignore: decorator
@inline export function blockSize(bytes: usize): usize {
  return (<usize>1) << (<usize>(classOf(bytes) + MIN_SHIFT));
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
  const size = (<usize>1) << (<usize>(c + MIN_SHIFT));
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
  inUse -= (<usize>1) << (<usize>(c + MIN_SHIFT));
}
