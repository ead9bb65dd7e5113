// Keyed state in linear memory: a pool of fixed-stride entries and a
// directory of active slices (sorted by slice index). The pool is cut into
// pages of PAGE consecutive entries; a slice fills pages of its own, one
// after the other, so its entries are visited by a scan of memory, not a
// walk of pointers, and freeing a slice hands its pages back whole. A
// slice may also keep an open-addressing table from key id to entry,
// freed whole with it: no per-entry deletes.
// A key's entries in its two newest slices are found through per-key
// arrays (keyCur, keyPrev) and are left out of the tables; an entry that
// drops out of them (its key took a third, newer slice) goes into its
// slice's table only if that table exists. A table is built, from the
// slice's entries, the first time a lookup goes past keyPrev (a record later
// than the key's two newest slices); it then holds every entry of its
// slice but those two per key, and grows by rehash. Records a bounded
// delay behind the stream never need one. Entries are also handed out
// alone ("loose": slots for session and count windows, restored windows,
// scratch), from pages of no slice, and freed one by one to a free list.
// The pool and the tables grow by doubling when they fill; code holds
// entry indexes, never pointers, across anything that may grow them.
import { alloc, allocZeroed, blockSize, free, resize } from "./heap";
import { accHasHeapParts, accInit, accRelease, accSize } from "./accumulators";

// Entry header: keyId i32; accumulators at +4 (f64 parts need not be
// 8-byte aligned). An entry's slice is its page's.
export const HEADER: usize = 4;

// 64 entries a page: a slice leaves at most 63 entries' room unused (2.8 kB
// for the one-field summary), and a scan of a slice (firing, the folds of
// sliding windows) jumps to another page every 64 entries: against pages
// of 16, sliding windows fire about 4% faster; tumbling ones are unchanged.
// @ts-ignore: decorator
@inline const PAGE_BITS: i32 = 6;
// @ts-ignore: decorator
@inline const PAGE: i32 = 1 << PAGE_BITS;

let stride: usize = 0;
let entries: usize = 0;
// i32 per entry: the step that last touched it. Allocated at the first
// touch (late firings, update rows): until then an entry costs no stamp.
let stamps: usize = 0;
let entryCap: i32 = 0;
let live: i32 = 0;

// Pages: 16-byte records {next i32 (the slice's next page, or the next free
// page), used i32 (entries handed out, in order), slice id i32 (-1: loose
// entries)}. Pages below pagesMade have been handed out at least once.
let pages: usize = 0;
let pagesMade: i32 = 0;
let freePage: i32 = -1;
let loosePage: i32 = -1; // the page loose entries are taken from
let freeLoose: i32 = -1; // freed loose entries (linked through their first accumulator word)

// Directory of active slices: DIR-byte records, sorted by slice:
// {slice i64, first page i32 (-1: none), count i32, table u32 (i32 slots: entry + 1), tableCap i32,
//  tabled i32 (entries in the table), id i32 (the slice's id in sliceTab), last page i32}.
// @ts-ignore: decorator
@inline const DIR: usize = 48;
let dir: usize = 0;
let dirLen: i32 = 0;
let dirCap: i32 = 0;
let dirHint: i32 = 0;
let tableBytes: usize = 0;
let tables: i32 = 0; // live slices with a table

// Slice ids: pages name their slice by a small id whose slice index is
// sliceTab[id] (i64).
// Ids of freed slices are reused (a free list threaded through sliceTab).
let sliceTab: usize = 0;
let sliceIds: i32 = 0; // ids handed out so far (the table's used length)
let sliceIdCap: i32 = 0;
let freeSliceId: i32 = -1;

// Per key id: the entry of its newest slice, or -1 when it has none, and
// that of its second newest, or -1 (both kept exact: inserts update them,
// freeing an entry clears them, and slices are freed oldest first), and its
// rank. A record in a slice newer than the key's newest is therefore a new
// entry without a probe, and so is one between its two newest slices.
let keyCur: usize = 0;
// i32 per key id: the slice id of its keyCur entry (meaningful while that is not -1): read beside keyCur, it
// spares the two loads that lead from an entry to its slice (its page, then the page's slice id).
let keyCurId: usize = 0;
let keyPrev: usize = 0; // allocated when a first key takes a second slice (0 until then: no key has one)
let keyRank: usize = 0; // i32 per key id: its position in key-value order (from the host)
let keyCap: i32 = 0;
let keyCount: i32 = 0; // key ids in use (below it): ranks are below it too

export function tableInit(): void {
  stride = (HEADER + accSize() + 3) & ~(<usize>3);
  entryCap = 0;
  live = 0;
  pages = 0;
  pagesMade = 0;
  freePage = -1;
  loosePage = -1;
  freeLoose = -1;
  dirLen = 0;
  dirCap = 0;
  keyCap = 0;
  keyCount = 0;
  keyPrev = 0;
  tableBytes = 0;
  tables = 0;
  stamps = 0;
  sliceIds = 0;
  sliceIdCap = 0;
  freeSliceId = -1;
  growEntries(1024);
  tableReserve(1024);
  keyCount = 0; // room for 1024 key ids, none announced yet
}

// @ts-ignore: decorator
@inline export function entryPtr(e: i32): usize {
  return entries + <usize>e * stride;
}

/** Slots in all per-slice hash tables together (each doubles by rehash when 3/4 full). */
export function tableSlots(): i32 {
  return <i32>(tableBytes >> 2);
}

export function keyCapacity(): i32 {
  return keyCap;
}

/** Key ids the host has announced (tableReserve): every key id and rank is below it. */
export function keysInUse(): i32 {
  return keyCount;
}

export function liveEntries(): i32 {
  return live;
}

/** Bytes of the pool's blocks beyond what live entries use (free capacity and rounding). */
export function poolSlackBytes(): usize {
  const slack = blockSize(<usize>entryCap * stride) - <usize>live * stride;
  return stamps == 0 ? slack : slack + blockSize(<usize>entryCap << 2) - (<usize>live << 2);
}

/** Where entry e's stamp is (the stamps exist from the first call on). */
export function stampAt(e: i32): usize {
  if (stamps == 0) {
    stamps = allocZeroed(<usize>entryCap << 2);
  }
  return stamps + (<usize>e << 2);
}

function growEntries(cap: i32): void {
  const made = pagesMade << PAGE_BITS;
  entries = resize(entries, <usize>entryCap * stride, <usize>cap * stride, <usize>made * stride);
  if (stamps != 0) {
    stamps = resize(stamps, <usize>entryCap << 2, <usize>cap << 2, <usize>made << 2);
    memory.fill(stamps + (<usize>made << 2), 0, <usize>(cap - made) << 2);
  }
  pages = resize(pages, <usize>(entryCap >> PAGE_BITS) << 4, <usize>(cap >> PAGE_BITS) << 4, <usize>pagesMade << 4);
  entryCap = cap;
}

// @ts-ignore: decorator
@inline function pageAt(pg: i32): usize {
  return pages + (<usize>pg << 4);
}

/** A page with no entries, for slice id `id` (-1: loose); its next is -1. */
function takePage(id: i32): i32 {
  let pg = freePage;
  if (pg >= 0) freePage = load<i32>(pageAt(pg));
  else {
    if (pagesMade << PAGE_BITS == entryCap) growEntries(entryCap << 1);
    pg = pagesMade++;
  }
  const m = pageAt(pg);
  store<i32>(m, -1);
  store<i32>(m, 0, 4);
  store<i32>(m, id, 8);
  return pg;
}

/** First entry of directory record d's slice, or -1 (then sliceNext until -1: a scan in insertion order). */
// @ts-ignore: decorator
@inline export function sliceFirst(d: usize): i32 {
  const pg = load<i32>(d, 8);
  return pg < 0 ? -1 : pg << PAGE_BITS;
}

/** The entry after e in its slice, or -1. */
// @ts-ignore: decorator
@inline export function sliceNext(e: i32): i32 {
  const m = pageAt(e >> PAGE_BITS);
  if ((e & (PAGE - 1)) + 1 < load<i32>(m, 4)) return e + 1;
  const next = load<i32>(m);
  return next < 0 ? -1 : next << PAGE_BITS;
}

/** First page of directory record d's slice, or -1; a page holds `pageUsed` entries from `pageFirst` on, then comes `pageNext`. */
// @ts-ignore: decorator
@inline export function slicePage(d: usize): i32 {
  return load<i32>(d, 8);
}

// @ts-ignore: decorator
@inline export function pageNext(pg: i32): i32 {
  return load<i32>(pageAt(pg));
}

// @ts-ignore: decorator
@inline export function pageUsed(pg: i32): i32 {
  return load<i32>(pageAt(pg), 4);
}

/** Address of page pg's first entry (the others follow every `entryStride` bytes). */
// @ts-ignore: decorator
@inline export function pageFirst(pg: i32): usize {
  return entries + (<usize>pg << PAGE_BITS) * stride;
}

// @ts-ignore: decorator
@inline export function entryStride(): usize {
  return stride;
}

/** Makes room for key ids below `keys` (per-key arrays). Call between batches. */
export function tableReserve(keys: i32): void {
  if (keys > keyCount) keyCount = keys;
  if (keys > keyCap) {
    // Grow by an eighth at least, and use the whole heap block (its size class).
    const cap = <i32>(blockSize(<usize>max(keys, keyCap + (keyCap >> 3)) << 2) >> 2);
    keyCur = resize(keyCur, <usize>keyCap << 2, <usize>cap << 2, <usize>keyCap << 2);
    keyCurId = resize(keyCurId, <usize>keyCap << 2, <usize>cap << 2, <usize>keyCap << 2);
    memory.fill(keyCur + (<usize>keyCap << 2), 0xff, <usize>(cap - keyCap) << 2); // -1: no slice holds the key
    if (keyPrev != 0) {
      keyPrev = resize(keyPrev, <usize>keyCap << 2, <usize>cap << 2, <usize>keyCap << 2);
      memory.fill(keyPrev + (<usize>keyCap << 2), 0xff, <usize>(cap - keyCap) << 2);
    }
    keyRank = resize(keyRank, <usize>keyCap << 2, <usize>cap << 2, 0); // the host rewrites every rank
    keyCap = cap;
  }
}

// @ts-ignore: decorator
@inline function hashKey(key: i32): u32 {
  let h = <u32>key * 0x9e3779b1;
  return h ^ (h >>> 15);
}

/** Puts entry e (of key `key`) in the table at `table` of `cap` slots. */
// @ts-ignore: decorator
@inline function place(table: usize, cap: i32, key: i32, e: i32): void {
  const mask = <u32>(cap - 1);
  let h = hashKey(key) & mask;
  while (load<i32>(table + (<usize>h << 2)) != 0) h = (h + 1) & mask;
  store<i32>(table + (<usize>h << 2), e + 1);
}

/** The entry of `key`'s second newest slice, or -1. */
// @ts-ignore: decorator
@inline function prevOf(key: i32): i32 {
  return keyPrev == 0 ? -1 : load<i32>(keyPrev + (<usize>key << 2));
}

/** Where key's second newest entry is kept (the per-key array is made on first use). */
// @ts-ignore: decorator
@inline function prevAt(key: i32): usize {
  if (keyPrev == 0) makeKeyPrev();
  return keyPrev + (<usize>key << 2);
}

function makeKeyPrev(): void {
  keyPrev = alloc(<usize>keyCap << 2);
  memory.fill(keyPrev, 0xff, <usize>keyCap << 2);
}

/** Whether entry e (of `key`) is one of its key's two newest, which no table holds. */
// @ts-ignore: decorator
@inline function isRecent(key: i32, e: i32): bool {
  return key >= 0 && key < keyCap && (load<i32>(keyCur + (<usize>key << 2)) == e || prevOf(key) == e);
}

/** Regrows the table of directory record d (doubling) to hold `need` entries at 3/4 load, re-placing those it holds. */
function growTable(d: usize, need: i32): void {
  const cap = load<i32>(d, 20);
  let ncap = cap == 0 ? 16 : cap << 1;
  while (ncap * 3 < need * 4) ncap <<= 1;
  const t = allocZeroed(<usize>ncap << 2);
  for (let e = sliceFirst(d); e >= 0; e = sliceNext(e)) {
    const key = load<i32>(entryPtr(e));
    if (!isRecent(key, e)) place(t, ncap, key, e);
  }
  if (cap > 0) free(<usize>load<u32>(d, 16), <usize>cap << 2);
  else tables++;
  tableBytes += (<usize>ncap - <usize>cap) << 2;
  store<u32>(d, <u32>t, 16);
  store<i32>(d, ncap, 20);
}

/**
 * Puts entry e of `key` in the table of directory record d. Call while e is
 * not yet in d's slice, or is still one of its key's two newest, so that a
 * growth of the table does not place it twice.
 */
function tableAdd(d: usize, key: i32, e: i32): void {
  const n = load<i32>(d, 24) + 1;
  // Load factor at most 3/4.
  if (n * 4 > load<i32>(d, 20) * 3) growTable(d, max(n, load<i32>(d, 12)));
  place(<usize>load<u32>(d, 16), load<i32>(d, 20), key, e);
  store<i32>(d, n, 24);
}

/**
 * Builds directory record d's table when it has none: every entry of its
 * slice but its keys' two newest, at 3/4 load (at least 16 slots).
 */
function ensureTable(d: usize): void {
  if (load<i32>(d, 20) > 0) return;
  let n = 0;
  for (let e = sliceFirst(d); e >= 0; e = sliceNext(e)) if (!isRecent(load<i32>(entryPtr(e)), e)) n++;
  growTable(d, n);
  store<i32>(d, n, 24);
}

/** The entry of `key` in directory record d's table (built if missing), or -1. */
// @ts-ignore: decorator
@inline function probe(d: usize, key: i32): i32 {
  ensureTable(d);
  const cap = load<i32>(d, 20);
  const t = <usize>load<u32>(d, 16);
  const mask = <u32>(cap - 1);
  let h = hashKey(key) & mask;
  for (;;) {
    const v = load<i32>(t + (<usize>h << 2));
    if (v == 0) return -1;
    if (load<i32>(entryPtr(v - 1)) == key) return v - 1;
    h = (h + 1) & mask;
  }
  return -1;
}

/** Slice index of entry e (which is in a slice): its page's. */
// @ts-ignore: decorator
@inline function entrySliceOf(e: i32): i64 {
  return load<i64>(sliceTab + (<usize>load<i32>(pageAt(e >> PAGE_BITS), 8) << 3));
}

/** Slice index of entry e, which is in a slice. */
// @ts-ignore: decorator
@inline export function sliceOfEntry(e: i32): i64 {
  return entrySliceOf(e);
}

/** Whether entry e is loose (in no slice: a slot, a restored window, scratch). */
// @ts-ignore: decorator
@inline export function isLoose(e: i32): bool {
  return load<i32>(pageAt(e >> PAGE_BITS), 8) < 0;
}

/** Slice index of entry e, for the host (touched entries). */
export function entrySlice(e: i32): f64 {
  return <f64>entrySliceOf(e);
}

/** Key id of entry e, for the host (touched entries). */
export function entryKey(e: i32): i32 {
  return load<i32>(entryPtr(e));
}

/** The slice of key's newest entry (keyCur, which must not be -1). */
// @ts-ignore: decorator
@inline function newestSliceOf(key: i32): i64 {
  return load<i64>(sliceTab + (<usize>load<i32>(keyCurId + (<usize>key << 2)) << 3));
}

/** The entry of (key, slice), or -1. */
export function find(key: i32, slice: i64): i32 {
  if (key < keyCap) {
    const c = load<i32>(keyCur + (<usize>key << 2));
    if (c < 0) return -1; // no slice holds the key
    const newest = newestSliceOf(key);
    if (newest == slice) return c;
    if (newest < slice) return -1;
    const p = prevOf(key);
    if (p < 0) return -1;
    const second = entrySliceOf(p);
    if (second == slice) return p;
    if (second < slice) return -1;
  }
  const d = dirSlot(slice, false);
  return d == 0 ? -1 : probe(d, key);
}

/** Makes entry e an entry of `key`, with empty accumulators when `init` (else the caller writes them). */
// @ts-ignore: decorator
@inline function initEntry(e: i32, key: i32, init: bool = true): void {
  const p = entryPtr(e);
  store<i32>(p, key);
  if (stamps != 0) store<i32>(stampAt(e), 0);
  if (init) accInit(p + HEADER);
  live++;
}

/** A fresh loose entry (in no slice) with empty accumulators. */
export function newEntry(key: i32): i32 {
  let e = freeLoose;
  if (e >= 0) freeLoose = load<i32>(entryPtr(e) + HEADER);
  else {
    if (loosePage < 0 || load<i32>(pageAt(loosePage), 4) == PAGE) loosePage = takePage(-1);
    const m = pageAt(loosePage);
    const used = load<i32>(m, 4);
    store<i32>(m, used + 1, 4);
    e = (loosePage << PAGE_BITS) + used;
  }
  initEntry(e, key);
  return e;
}

/** Frees a loose entry (newEntry). */
export function releaseEntry(e: i32): void {
  const p = entryPtr(e);
  if (accHasHeapParts()) accRelease(p + HEADER);
  store<i32>(p, -1);
  store<i32>(p + HEADER, freeLoose);
  freeLoose = e;
  live--;
}

/**
 * A new entry of `key` in directory record d's slice; in its table too when
 * `tabled` (not the key's newest); with empty accumulators when `init`.
 */
// @ts-ignore: decorator
@inline function insertEntry(d: usize, key: i32, tabled: bool, init: bool): i32 {
  made = true;
  const last = load<i32>(d, 32);
  const fresh = last < 0 || load<i32>(pageAt(last), 4) == PAGE;
  const pg = fresh ? takePage(load<i32>(d, 28)) : last;
  const used = load<i32>(pageAt(pg), 4);
  const e = (pg << PAGE_BITS) + used;
  // (into the table before the slice holds it, so that a growth of the table does not place it twice)
  if (tabled) tableAdd(d, key, e);
  store<i32>(pageAt(pg), used + 1, 4);
  if (fresh) {
    if (last < 0) store<i32>(d, pg, 8);
    else store<i32>(pageAt(last), pg);
    store<i32>(d, pg, 32);
  }
  initEntry(e, key, init);
  store<i32>(d, load<i32>(d, 12) + 1, 12);
  return e;
}

/**
 * Entry e (of `key`) is no longer one of its key's two newest: it goes into
 * its slice's table if that slice has one (else the table, when one is
 * built, takes it from the slice's entries).
 */
// @ts-ignore: decorator
@inline function retire(key: i32, e: i32): void {
  if (tables == 0) return;
  const d = dirOf(entrySliceOf(e));
  if (load<i32>(d, 20) > 0) tableAdd(d, key, e);
}

// Whether the last findOrInsert made its entry.
let made = false;

/** Whether the last findOrInsert made the entry it returned. */
// @ts-ignore: decorator
@inline export function entryMade(): bool {
  return made;
}

/**
 * The entry of (key, slice), created when missing: in its slice,
 * and in its table unless it is one of the key's two newest. A created
 * entry has empty accumulators, unless `init` is false: then the caller
 * writes them (entryMade() tells).
 */
// @ts-ignore: decorator
@inline export function findOrInsert(key: i32, slice: i64, init: bool = true): i32 {
  made = false;
  if (key < keyCap) {
    const at = keyCur + (<usize>key << 2);
    const c = load<i32>(at);
    const atId = keyCurId + (<usize>key << 2);
    if (c < 0) {
      // no slice holds the key: a new entry, its newest
      const d = dirSlot(slice, true);
      const e = insertEntry(d, key, false, init);
      store<i32>(at, e);
      store<i32>(atId, load<i32>(d, 28));
      return e;
    }
    const newest = newestSliceOf(key);
    if (newest == slice) return c;
    const p = prevOf(key);
    if (newest < slice) {
      // the key moves on to a newer slice: its newest becomes its second newest
      const d = dirSlot(slice, true);
      const e = insertEntry(d, key, false, init);
      if (p >= 0) retire(key, p);
      store<i32>(prevAt(key), c);
      store<i32>(at, e);
      store<i32>(atId, load<i32>(d, 28));
      return e;
    }
    // a late record: older than the key's newest slice
    if (p >= 0) {
      const second = entrySliceOf(p);
      if (second == slice) return p;
      if (second > slice) {
        // older than both: the slice's table knows
        const d = dirSlot(slice, true);
        const e = probe(d, key);
        return e >= 0 ? e : insertEntry(d, key, true, init);
      }
    }
    // between the two newest (or the key has one slice): a new second newest
    const e = insertEntry(dirSlot(slice, true), key, false, init);
    if (p >= 0) retire(key, p);
    store<i32>(prevAt(key), e);
    return e;
  }
  const d = dirSlot(slice, true);
  const e = probe(d, key);
  return e >= 0 ? e : insertEntry(d, key, true, init);
}

// ---- slice directory ---------------------------------------------------------

export function dirCount(): i32 {
  return dirLen;
}

// @ts-ignore: decorator
@inline export function dirAt(i: i32): usize {
  return dir + <usize>i * DIR;
}

/** Index of the first active slice >= s (dirLen if none). */
export function dirLowerBound(s: i64): i32 {
  let lo = 0;
  let hi = dirLen;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (load<i64>(dirAt(mid)) < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** An unused slice id, naming slice s. */
function newSliceId(s: i64): i32 {
  let id = freeSliceId;
  if (id >= 0) freeSliceId = <i32>load<i64>(sliceTab + (<usize>id << 3));
  else {
    if (sliceIds == sliceIdCap) {
      const cap = sliceIdCap == 0 ? 64 : sliceIdCap << 1;
      sliceTab = resize(sliceTab, <usize>sliceIdCap << 3, <usize>cap << 3, <usize>sliceIds << 3);
      sliceIdCap = cap;
    }
    id = sliceIds++;
  }
  store<i64>(sliceTab + (<usize>id << 3), s);
  return id;
}

/** The directory record of live slice s, looked up without moving the hint (the slice of the current record). */
function dirOf(s: i64): usize {
  if (dirHint > 0 && load<i64>(dirAt(dirHint - 1)) == s) return dirAt(dirHint - 1);
  return dirAt(dirLowerBound(s));
}

/** The directory record of slice s; created (empty) when `create`, else 0 if absent. The hint's test is inlined. */
// @ts-ignore: decorator
@inline function dirSlot(s: i64, create: bool): usize {
  if (dirHint < dirLen && load<i64>(dirAt(dirHint)) == s) return dirAt(dirHint);
  return dirSearch(s, create);
}

/** dirSlot past the hint: a binary search, and the new record when `create`. */
function dirSearch(s: i64, create: bool): usize {
  const i = dirLowerBound(s);
  if (i < dirLen && load<i64>(dirAt(i)) == s) {
    dirHint = i;
    return dirAt(i);
  }
  if (!create) return 0;
  if (dirLen == dirCap) {
    const cap = dirCap == 0 ? 64 : dirCap << 1;
    dir = resize(dir, <usize>dirCap * DIR, <usize>cap * DIR, <usize>dirLen * DIR);
    dirCap = cap;
  }
  if (i < dirLen) memory.copy(dirAt(i + 1), dirAt(i), <usize>(dirLen - i) * DIR);
  dirLen++;
  const d = dirAt(i);
  store<i64>(d, s);
  store<i32>(d, -1, 8);
  store<i32>(d, 0, 12);
  store<u32>(d, 0, 16);
  store<i32>(d, 0, 20);
  store<i32>(d, 0, 24);
  store<i32>(d, newSliceId(s), 28);
  store<i32>(d, -1, 32);
  dirHint = i;
  return d;
}

/** Frees the oldest active slice: its entries (its pages), its table and its id. */
export function dropOldestSlice(): void {
  const d = dirAt(0);
  const heapParts = accHasHeapParts();
  for (let e = sliceFirst(d); e >= 0; e = sliceNext(e)) {
    const p = entryPtr(e);
    const key = load<i32>(p);
    // the entry is the key's newest or second newest (or neither): cleared without a branch on which
    const cur = keyCur + (<usize>key << 2);
    const c = load<i32>(cur);
    store<i32>(cur, select<i32>(-1, c, c == e));
    if (keyPrev != 0) {
      const prev = keyPrev + (<usize>key << 2);
      const q = load<i32>(prev);
      store<i32>(prev, select<i32>(-1, q, q == e));
    }
    if (heapParts) accRelease(p + HEADER);
  }
  live -= load<i32>(d, 12);
  const first = load<i32>(d, 8);
  if (first >= 0) {
    store<i32>(pageAt(load<i32>(d, 32)), freePage);
    freePage = first;
  }
  const cap = load<i32>(d, 20);
  if (cap > 0) {
    free(<usize>load<u32>(d, 16), <usize>cap << 2);
    tableBytes -= <usize>cap << 2;
    tables--;
  }
  const id = load<i32>(d, 28);
  store<i64>(sliceTab + (<usize>id << 3), <i64>freeSliceId);
  freeSliceId = id;
  dirLen--;
  if (dirLen > 0) memory.copy(dir, dirAt(1), <usize>dirLen * DIR);
  dirHint = 0;
}

// ---- key ranks ---------------------------------------------------------------

/** Where the host writes key ranks (i32 per key id, `keys` of them); valid until the next tableReserve. */
export function rankBase(): usize {
  return keyRank;
}

/** Rank of a key id in key-value order (the emission order of a window's rows). */
// @ts-ignore: decorator
@inline export function rankOf(key: i32): i32 {
  return load<i32>(keyRank + (<usize>key << 2));
}
