// Writing restored partial state into accumulators: the host writes the
// scalar parts directly (layout.ts) and calls these for the parts that own
// heap blocks.
import { ddAddBucket, hllSetRegister, listPush, setAdd } from "./sketches";

export function accListPush(list: usize, v: f64): void {
  listPush(list, v);
}

export function accSetAdd(set: usize, id: i32): void {
  setAdd(set, id);
}

export function accHllSet(h: usize, p: i32, idx: i32, value: i32): void {
  hllSetRegister(h, p, idx, value);
}

/** Adds `count` to bucket `index` of a DDSketch's positive (side 0) or negative (side 1) store. */
export function accDdAdd(d: usize, side: i32, index: i32, count: f64): void {
  ddAddBucket(d, side, index, count);
}
