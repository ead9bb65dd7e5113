// The WASM window kernel's exports. The host (src/kernel/wasm/) lays out
// memory (layout.ts), copies each batch into the column region, calls one
// export per batch, and reads fired rows from the output region.
//
// - windows.ts: tumbling and sliding windows by stream slicing; blocks.ts:
//   how sliding windows combine slices, and the parts they share;
// - slots.ts: accumulator slots for session and count windows, whose
//   bookkeeping stays in the host;
// - table.ts: keyed state (entries, per-slice tables); accumulators.ts:
//   the aggregates; sketches.ts: HyperLogLog, DDSketch, value lists, id
//   sets; heap.ts: the allocator; sort.ts: in-place sorting; output.ts,
//   gather.ts: rows and key order.
import { heapInit, heapInUse } from "./heap";
import { accConfigure } from "./accumulators";
import { outputConfigure } from "./output";
import { slotsConfigure } from "./slots";
import { liveEntries, poolSlackBytes, rankBase, tableInit, tableReserve } from "./table";
import { accumulateRecords, continuousRecords, emitListed, endStep, restoreDone, windowsConfigure, wmInt } from "./windows";

export { clearOutput, lateRows, outRows } from "./output";
export { reserveSlots, runOps, slotAccumulators, slotResults } from "./slots";
export { entryKey, entrySlice, tableSlots } from "./table";
export { nextSeq, openWindows, restoreWindow, snapshotWindows, touchedBase, touchedCount } from "./windows";
export { accListPush, accSetAdd, accHllSet, accDdAdd } from "./restore";

let reqBase: usize = 0;

export function configure(
  desc: usize, keyB: usize, tsB: usize, wmB: usize, lateB: usize, outB: usize, outCapacity: i32,
  reqB: usize, opsB: usize, resB: usize, heapStart: usize,
  sizeMs: f64, slideMs: f64, offsetMs: f64, latenessMs: f64, mode: i32,
): void {
  heapInit(heapStart);
  accConfigure(desc);
  outputConfigure(outB, outCapacity, 24 + (<usize>load<i32>(desc) << 3), lateB);
  slotsConfigure(opsB, resB);
  tableInit();
  windowsConfigure(keyB, tsB, wmB, sizeMs, slideMs, offsetMs, latenessMs, mode);
  reqBase = reqB;
}

/** Room for key ids below `keys`. Call before a batch with new keys. */
export function reserve(keys: i32): void {
  tableReserve(keys);
}

/** Where the host writes the rank of each key id (i32), after `reserve`. */
export function keyRanks(): usize {
  return rankBase();
}

/**
 * Micro-batch: adds records [0, n) of the column region judged against
 * `wm` (the watermark from before the batch). Late indexes go to the late
 * region; entries whose windows may need a late firing (final) or an
 * update row (update) are remembered for the host (touchedCount/Base).
 */
export function accumulate(n: i32, wm: f64): f64 {
  return accumulateRecords(n, wmInt(wm));
}

/**
 * Continuous: record i is judged against wm[i] and followed by a step at
 * wm[i + 1]; rows carry index i. Late firings and update rows of a record
 * come right after it, before the windows its watermark completes.
 */
export function continuous(n: i32): void {
  continuousRecords(n);
}

/** Ends a micro-batch step at `wm`: fires, frees; rows carry `index`. */
export function step(wm: f64, index: i32): void {
  endStep(wmInt(wm), index);
}

/** Emits the windows listed at the request region ({key i32, pad, window start in slices f64} each). */
export function emitRequested(n: i32, index: i32): void {
  emitListed(reqBase, n, index);
}

/** Finishes restoring windows (see restoreWindow): resume at watermark `wm`, arrival number `seq`. */
export function restoreEnd(wm: f64, seq: f64): void {
  restoreDone(wmInt(wm), seq);
}

/** Bytes of state in use: live entries, tables and sketch buffers (not the pool's free capacity). */
export function stateBytes(): usize {
  return heapInUse() - poolSlackBytes();
}

export function entriesInUse(): i32 {
  return liveEntries() - 1; // minus the scratch entry
}

/** Bytes of linear memory (fixed regions, heap and free space). */
export function memoryBytes(): usize {
  return <usize>memory.size() << 16;
}

/** End of the module's static data: where the host's fixed regions may begin. */
export function staticEnd(): usize {
  return __heap_base;
}
