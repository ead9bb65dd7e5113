// Putting a window's entries in key order: entries are gathered with the
// rank of their key (read once, while scanning the slices), then
// sorted by rank without touching the entries again: a counting sort when
// the rank range is dense enough, else a quicksort on (rank, position).
// Both are stable, so a key's entries keep their slice order.
import { alloc, allocZeroed, free } from "./heap";
import { sortAscending } from "./sort";

let gRank: usize = 0;
let gItem: usize = 0;
let sRank: usize = 0;
let sItem: usize = 0;
let cap: i32 = 0;
let count: i32 = 0;

/** Empties the gather lists, with room for n items. */
export function gatherReset(n: i32): void {
  count = 0;
  if (n <= cap) return;
  const c = max(n, cap << 1);
  if (cap > 0) {
    free(gRank, <usize>cap << 2);
    free(gItem, <usize>cap << 2);
    free(sRank, <usize>cap << 2);
    free(sItem, <usize>cap << 2);
  }
  gRank = alloc(<usize>c << 2);
  gItem = alloc(<usize>c << 2);
  sRank = alloc(<usize>c << 2);
  sItem = alloc(<usize>c << 2);
  cap = c;
}

// @ts-ignore: decorator
@inline export function gatherPush(rank: i32, item: i32): void {
  store<i32>(gRank + (<usize>count << 2), rank);
  store<i32>(gItem + (<usize>count << 2), item);
  count++;
}

export function gatherCount(): i32 {
  return count;
}

// @ts-ignore: decorator
@inline export function sortedRank(j: i32): i32 {
  return load<i32>(sRank + (<usize>j << 2));
}

// @ts-ignore: decorator
@inline export function sortedItem(j: i32): i32 {
  return load<i32>(sItem + (<usize>j << 2));
}

/** Sorts the gathered (rank, item) pairs into sortedRank / sortedItem. */
export function gatherSort(): void {
  const n = count;
  let lo = i32.MAX_VALUE;
  let hi = -1;
  for (let i = 0; i < n; i++) {
    const r = load<i32>(gRank + (<usize>i << 2));
    if (r < lo) lo = r;
    if (r > hi) hi = r;
  }
  const range = hi - lo + 1;
  if (range <= n * 4 + 64) {
    const counts = allocZeroed(<usize>(range + 1) << 2);
    for (let i = 0; i < n; i++) {
      const at = counts + (<usize>(load<i32>(gRank + (<usize>i << 2)) - lo + 1) << 2);
      store<i32>(at, load<i32>(at) + 1);
    }
    for (let r = 1; r <= range; r++) {
      const at = counts + (<usize>r << 2);
      store<i32>(at, load<i32>(at) + load<i32>(at - 4));
    }
    for (let i = 0; i < n; i++) {
      const rank = load<i32>(gRank + (<usize>i << 2));
      const at = counts + (<usize>(rank - lo) << 2);
      const pos = load<i32>(at);
      store<i32>(at, pos + 1);
      store<i32>(sRank + (<usize>pos << 2), rank);
      store<i32>(sItem + (<usize>pos << 2), load<i32>(gItem + (<usize>i << 2)));
    }
    free(counts, <usize>(range + 1) << 2);
    return;
  }
  const pairs = alloc(<usize>n << 3);
  for (let i = 0; i < n; i++) store<i64>(pairs + (<usize>i << 3), (<i64>load<i32>(gRank + (<usize>i << 2)) << 32) | <i64>i);
  sortAscending<i64>(pairs, n);
  for (let i = 0; i < n; i++) {
    const pair = load<i64>(pairs + (<usize>i << 3));
    store<i32>(sRank + (<usize>i << 2), <i32>(pair >> 32));
    store<i32>(sItem + (<usize>i << 2), load<i32>(gItem + (<usize>(<i32>pair) << 2)));
  }
  free(pairs, <usize>n << 3);
}
