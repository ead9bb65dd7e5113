/**
 * Window accumulators addressed by slot id. The window logic of session
 * and count windows is written once against this interface; the reference
 * kernel keeps slots as JS objects ({@link JsAccumulatorStore}), the WASM
 * kernel in linear memory (ops are buffered and applied once per batch).
 */
import type { Aggregator } from "../../aggregate/aggregators.js";
import type { ColumnBatch } from "../../codec/column-batch.js";
import { decodePartialState, encodePartials } from "../../aggregate/partial-state.js";

export interface AccumulatorStore {
  /** A new, empty slot. */
  alloc(): number;
  /** Releases a slot; its id may be handed out again. */
  free(slot: number): void;
  /** Adds record i of `batch` (arrival number `seq`) to the slot. */
  add(slot: number, batch: ColumnBatch, i: number, seq: number): void;
  /** Merges slot `from` into slot `into`; `from` is left as it was. */
  merge(into: number, from: number): void;
  /** The aggregate results of a slot, in plan order. */
  results(slot: number): (number | null)[];
  /** A slot's state as each aggregator's partial form, in plan order (forwarding). */
  partialsOf(slot: number): unknown[];
  /** A slot's state in the msgpack partial-state format (checkpoints): `partialsOf`, encoded. */
  snapshotSlot(slot: number): Uint8Array;
  /** Merges state in the partial-state format into a slot (restores). */
  restoreSlot(slot: number, state: Uint8Array): void;
  /** Slots in use and bytes they hold. */
  stats(): { slots: number; bytes: number };
}

/** Slots as arrays of aggregator states: the reference implementation. */
export class JsAccumulatorStore implements AccumulatorStore {
  private readonly slots: (unknown[] | undefined)[] = [];
  private readonly freeIds: number[] = [];
  private used = 0;

  constructor(private readonly aggs: readonly Aggregator[]) {}

  alloc(): number {
    const id = this.freeIds.pop() ?? this.slots.length;
    this.slots[id] = this.aggs.map((a) => a.create());
    this.used++;
    return id;
  }

  free(slot: number): void {
    this.slots[slot] = undefined;
    this.freeIds.push(slot);
    this.used--;
  }

  add(slot: number, b: ColumnBatch, i: number, seq: number): void {
    const s = this.slots[slot]!;
    for (let k = 0; k < this.aggs.length; k++) this.aggs[k]!.add(s[k], b, i, seq);
  }

  merge(into: number, from: number): void {
    const a = this.slots[into]!;
    const b = this.slots[from]!;
    for (let k = 0; k < this.aggs.length; k++) this.aggs[k]!.merge(a[k], b[k]);
  }

  results(slot: number): (number | null)[] {
    const s = this.slots[slot]!;
    return this.aggs.map((a, k) => a.result(s[k]));
  }

  partialsOf(slot: number): unknown[] {
    const s = this.slots[slot]!;
    return this.aggs.map((a, k) => a.toPartial(s[k]));
  }

  snapshotSlot(slot: number): Uint8Array {
    return encodePartials(this.partialsOf(slot));
  }

  restoreSlot(slot: number, state: Uint8Array): void {
    const s = this.slots[slot]!;
    const loaded = decodePartialState(this.aggs, state);
    this.aggs.forEach((a, k) => a.merge(s[k], loaded[k]));
  }

  stats(): { slots: number; bytes: number } {
    // An estimate: an array, its states, and ~48 bytes per scalar state.
    return { slots: this.used, bytes: this.used * (64 + 48 * this.aggs.length) };
  }
}
