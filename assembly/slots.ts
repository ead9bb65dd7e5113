// Accumulator slots for session and count windows, whose bookkeeping lives
// in the host. The host buffers slot ops in the op region and runs them in
// one call: {op i32, a i32, b i32, pad, seq f64} each.
import { resize } from "./heap";
import { accAdd, accMerge, accResults } from "./accumulators";
import { HEADER, entryPtr, newEntry, releaseEntry } from "./table";

// @ts-ignore: decorator
@inline const OP_ALLOC: i32 = 0;
// @ts-ignore: decorator
@inline const OP_FREE: i32 = 1;
// @ts-ignore: decorator
@inline const OP_ADD: i32 = 2;
// @ts-ignore: decorator
@inline const OP_MERGE: i32 = 3;

let opsBase: usize = 0;
let resultBase: usize = 0;
let table: usize = 0; // slot id → entry
let tableCap: i32 = 0;

export function slotsConfigure(ops: usize, result: usize): void {
  opsBase = ops;
  resultBase = result;
  tableCap = 0;
}

// @ts-ignore: decorator
@inline function slotEntry(slot: i32): i32 {
  return load<i32>(table + (<usize>slot << 2));
}

/** Room for slot ids below `slots`. */
export function reserveSlots(slots: i32): void {
  if (slots <= tableCap) return;
  const cap = max(slots, tableCap << 1);
  table = resize(table, <usize>tableCap << 2, <usize>cap << 2, <usize>tableCap << 2);
  tableCap = cap;
}

/** Runs n buffered ops. */
export function runOps(n: i32): void {
  for (let j = 0; j < n; j++) {
    const o = opsBase + <usize>j * 24;
    const op = load<i32>(o);
    const a = load<i32>(o, 4);
    if (op == OP_ADD) accAdd(entryPtr(slotEntry(a)) + HEADER, load<i32>(o, 8), load<f64>(o, 16));
    else if (op == OP_ALLOC) store<i32>(table + (<usize>a << 2), newEntry(-1));
    else if (op == OP_FREE) releaseEntry(slotEntry(a));
    else if (op == OP_MERGE) accMerge(entryPtr(slotEntry(a)) + HEADER, entryPtr(slotEntry(load<i32>(o, 8))) + HEADER);
  }
}

/** Writes a slot's results to the result region. */
export function slotResults(slot: i32): void {
  accResults(entryPtr(slotEntry(slot)) + HEADER, resultBase);
}

/** Where a slot's accumulators are (for snapshots and restores; valid until entries grow). */
export function slotAccumulators(slot: i32): usize {
  return entryPtr(slotEntry(slot)) + HEADER;
}
