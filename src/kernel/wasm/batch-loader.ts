/**
 * Copies a run of batch records into the kernel's column region with one
 * `TypedArray.set` per column: the only per-batch copy on the way in.
 */
import type { ColumnBatch } from "../../codec/column-batch.js";
import type { KernelInstance } from "./instance.js";

export function loadColumns(k: KernelInstance, b: ColumnBatch, from: number, n: number): void {
  const r = k.layout.regions;
  const m = k.mem();
  m.i32.set(b.keyId.subarray(from, from + n), r.keyId >> 2);
  m.f64.set(b.ts.subarray(from, from + n), r.ts >> 3);
  for (let c = 0; c < r.num.length; c++) m.f64.set(b.num[c]!.subarray(from, from + n), r.num[c]! >> 3);
  for (let c = 0; c < r.dict.length; c++) m.i32.set(b.dict[c]!.subarray(from, from + n), r.dict[c]! >> 2);
  for (let c = 0; c < r.hash.length; c++) m.u32.set(b.hash[c]!.subarray(2 * from, 2 * (from + n)), r.hash[c]! >> 2);
}
