/**
 * Record → column batch: reads the key, time, input and aggregated fields
 * of one decoded record straight into the next row of a batch. A record
 * that cannot be used is not written; its reason is returned so the caller
 * can count it and dead-letter it (bad records are values, not exceptions).
 */
import { hash64 } from "../aggregate/hash.js";
import type { PipelinePlan } from "../plan/plan.js";
import { isScalar, type KeyDictionary, type Scalar, type ValueDictionary } from "../state/dictionary.js";
import { eventTimeProblem, toEventTime } from "../time/event-time.js";
import type { WatermarkTracker } from "../time/watermark.js";
import type { ColumnBatch } from "./column-batch.js";
import type { ColumnLayout } from "./column-layout.js";

type Getter = (rec: Record<string, unknown>) => unknown;

/** `a.b.c` reads nested objects; a plain name is one property read. */
export function fieldGetter(path: string): Getter {
  const parts = path.split(".");
  if (parts.length === 1) return (r) => r[path];
  return (r) => {
    let v: unknown = r;
    for (const p of parts) {
      if (typeof v !== "object" || v === null) return undefined;
      v = (v as Record<string, unknown>)[p];
    }
    return v;
  };
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  return `${typeof v} ${JSON.stringify(v)}`;
}

export interface DecoderContext {
  keys: KeyDictionary;
  /** One dictionary per `dict` column of the layout. */
  distinct: readonly ValueDictionary[];
  watermarks: WatermarkTracker;
}

export class RecordDecoder {
  private readonly key: { name: string; get: Getter }[];
  private readonly time: { name: string; get: Getter } | null;
  private readonly source: { name: string; get: Getter } | null;
  private readonly num: { name: string; get: Getter; presence: boolean }[];
  private readonly dict: { name: string; get: Getter }[];
  private readonly hash: { name: string; get: Getter }[];
  private readonly keyValues: Scalar[];

  constructor(plan: PipelinePlan, layout: ColumnLayout, private readonly ctx: DecoderContext) {
    const named = (name: string) => ({ name, get: fieldGetter(name) });
    this.key = plan.key.map(named);
    this.time = plan.time ? named(plan.time.field) : null;
    this.source = plan.time?.sourceField ? named(plan.time.sourceField) : null;
    this.num = layout.num.map((c) => ({ ...named(c.field), presence: c.kind === "presence" }));
    this.dict = layout.dict.map(named);
    this.hash = layout.hash.map(named);
    this.keyValues = new Array(plan.key.length);
  }

  /**
   * Appends `rec` to the batch (growing it when full) and returns null, or
   * returns why the record cannot be used and leaves the batch unchanged.
   * `input` names the input for a record that came from a named live source
   * (instead of `time.sourceField`).
   */
  append(b: ColumnBatch, rec: unknown, raw: unknown, input?: string): string | null {
    if (typeof rec !== "object" || rec === null || Array.isArray(rec)) return `record must be an object, got ${describe(rec)}`;
    const r = rec as Record<string, unknown>;
    if (b.full) b.grow();
    const j = b.length;

    for (let k = 0; k < this.key.length; k++) {
      const v = this.key[k]!.get(r);
      if (!isScalar(v)) return this.keyProblem(this.key[k]!.name, v);
      this.keyValues[k] = v;
    }

    let ts = 0;
    if (this.time) {
      const v = this.time.get(r);
      ts = toEventTime(v);
      if (ts !== ts) return eventTimeProblem(this.time.name, v);
    }

    let inputName = "";
    if (this.source) {
      const v = this.source.get(r);
      if (typeof v !== "string" && typeof v !== "number") {
        return v == null ? `missing source field '${this.source.name}'` : `source field '${this.source.name}' must be a string, got ${describe(v)}`;
      }
      inputName = String(v);
    }

    for (let c = 0; c < this.num.length; c++) {
      const f = this.num[c]!;
      const v = f.get(r);
      if (v === undefined || v === null) b.num[c]![j] = NaN;
      else if (f.presence) b.num[c]![j] = 1;
      else if (typeof v === "number" && Number.isFinite(v)) b.num[c]![j] = v + 0; // -0 → 0: JSON cannot tell them apart
      else return `field '${f.name}' must be a finite number, got ${describe(v)}`;
    }
    for (let c = 0; c < this.dict.length; c++) {
      const v = this.dict[c]!.get(r);
      if (v === undefined || v === null) b.dict[c]![j] = -1;
      else if (isScalar(v)) b.dict[c]![j] = this.ctx.distinct[c]!.id(v);
      else return `field '${this.dict[c]!.name}' must be a string, number or boolean, got ${describe(v)}`;
    }
    for (let c = 0; c < this.hash.length; c++) {
      const v = this.hash[c]!.get(r);
      if (v === undefined || v === null) {
        b.hash[c]![2 * j] = 0;
        b.hash[c]![2 * j + 1] = 0;
      } else if (isScalar(v)) hash64(v, b.hash[c]!, 2 * j);
      else return `field '${this.hash[c]!.name}' must be a string, number or boolean, got ${describe(v)}`;
    }

    // Only a record that is used may intern its key or make its input known:
    // an input holds the watermark back from the moment it is known.
    const keys = this.ctx.keys;
    b.keyId[j] = this.key.length === 0 ? 0 : this.key.length === 1 ? keys.id(this.keyValues[0]!) : keys.tupleId(this.keyValues);
    const inputId = input !== undefined ? this.ctx.watermarks.inputIndex(input) : this.source ? this.ctx.watermarks.inputIndex(inputName) : 0;
    b.ts[j] = ts;
    b.input[j] = inputId;
    b.raw[j] = raw;
    b.length = j + 1;
    return null;
  }

  private keyProblem(name: string, v: unknown): string {
    return v === undefined || v === null ? `missing key field '${name}'` : `key field '${name}' must be a string, number or boolean, got ${describe(v)}`;
  }
}
