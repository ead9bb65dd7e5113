/**
 * Accumulator slots in the WASM kernel's memory, for session and count
 * windows (whose bookkeeping stays in TypeScript). Slot operations are
 * buffered in the op region and applied in one call when a result is
 * needed, when the buffer fills, or at the end of a kernel call; records
 * are referenced by their index in the column region, which holds the
 * current run of the batch.
 */
import type { ColumnBatch } from "../../codec/column-batch.js";
import type { AccumulatorStore } from "../store/accumulator-store.js";
import { loadColumns } from "./batch-loader.js";
import type { KernelInstance } from "./instance.js";
import { BATCH_CAPACITY, OP_BYTES, OP_CAPACITY } from "./layout.js";
import type { PartialCodec } from "./partials.js";
import { readValues } from "./row-reader.js";
import { decodePartials, encodePartials } from "../../aggregate/partial-state.js";

const OP = { alloc: 0, free: 1, add: 2, merge: 3 } as const;

export class WasmAccumulatorStore implements AccumulatorStore {
  private readonly freeIds: number[] = [];
  private nextId = 0;
  private used = 0;
  private ops = 0;
  private maxSlot = -1;
  /** The batch whose records [loadedFrom, loadedFrom + loadedCount) are in the column region. */
  private batch: ColumnBatch | null = null;
  private loadedFrom = 0;
  private loadedCount = 0;

  private readonly aggCount: number;

  constructor(private readonly k: KernelInstance, private readonly codec: PartialCodec, aggCount: number) {
    this.aggCount = aggCount;
  }

  /** A new batch (or new contents of a reused one) is coming: forget what is loaded. */
  beginBatch(): void {
    this.flush();
    this.batch = null;
  }

  alloc(): number {
    const id = this.freeIds.pop() ?? this.nextId++;
    if (id > this.maxSlot) this.maxSlot = id;
    this.used++;
    this.push(OP.alloc, id, 0, 0);
    return id;
  }

  free(slot: number): void {
    this.push(OP.free, slot, 0, 0);
    this.freeIds.push(slot);
    this.used--;
  }

  add(slot: number, b: ColumnBatch, i: number, seq: number): void {
    if (b !== this.batch || i < this.loadedFrom || i >= this.loadedFrom + this.loadedCount) {
      this.flush();
      this.batch = b;
      this.loadedFrom = i;
      this.loadedCount = Math.min(BATCH_CAPACITY, b.length - i);
      loadColumns(this.k, b, i, this.loadedCount);
    }
    this.push(OP.add, slot, i - this.loadedFrom, seq);
  }

  merge(into: number, from: number): void {
    this.push(OP.merge, into, from, 0);
  }

  results(slot: number): (number | null)[] {
    this.flush();
    this.k.x.slotResults(slot);
    return readValues(this.k, this.k.layout.regions.result, this.aggCount);
  }

  partialsOf(slot: number): unknown[] {
    this.flush();
    return this.codec.read(this.k.x.slotAccumulators(slot));
  }

  snapshotSlot(slot: number): Uint8Array {
    return encodePartials(this.partialsOf(slot));
  }

  restoreSlot(slot: number, state: Uint8Array): void {
    this.flush();
    this.codec.write(this.k.x.slotAccumulators(slot), decodePartials(state, this.aggCount));
  }

  stats(): { slots: number; bytes: number } {
    this.flush();
    return { slots: this.used, bytes: this.k.x.stateBytes() };
  }

  /** Applies the buffered ops. */
  flush(): void {
    if (this.ops === 0) return;
    this.k.x.reserveSlots(this.maxSlot + 1);
    this.k.x.runOps(this.ops);
    this.ops = 0;
  }

  private push(op: number, a: number, b: number, seq: number): void {
    if (this.ops === OP_CAPACITY) this.flush();
    const m = this.k.mem();
    const at = this.k.layout.regions.ops + this.ops * OP_BYTES;
    m.i32[at >> 2] = op;
    m.i32[(at >> 2) + 1] = a;
    m.i32[(at >> 2) + 2] = b;
    m.f64[(at >> 3) + 2] = seq;
    this.ops++;
  }
}
