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
import { ABSENT, MsgpackFieldReader, NIL, NUMBER, readableFromMsgpack, STRING } from "./msgpack-fields.js";

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
  if (typeof v === "bigint") return `integer ${v}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}

export interface DecoderContext {
  keys: KeyDictionary;
  /** One dictionary per `dict` column of the layout. */
  distinct: readonly ValueDictionary[];
  watermarks: WatermarkTracker;
}

/** A role's field: its name (for errors) and its slot in the record's field values. */
interface Field {
  name: string;
  slot: number;
}

export class RecordDecoder {
  /** The distinct fields the plan reads, one slot each; `vals` holds one record's values by slot. */
  private readonly fields: string[] = [];
  private readonly getters: Getter[] = [];
  private readonly vals: unknown[];
  private readonly key: Field[];
  private readonly time: Field | null;
  private readonly source: Field | null;
  private readonly num: (Field & { presence: boolean })[];
  private readonly dict: Field[];
  private readonly hash: Field[];
  private readonly keyValues: Scalar[];
  /** Straight from msgpack bytes (null when a field is a nested path); `keyIds`: key id by interned string. */
  private readonly msgpack: MsgpackFieldReader | null;
  private keyIds = new Int32Array(256).fill(-1);
  /** Whether the plan's fields allow appendTyped: one key field, no source field, no distinct-count columns. */
  private readonly typedPlan: boolean;

  constructor(plan: PipelinePlan, layout: ColumnLayout, private readonly ctx: DecoderContext) {
    const named = (name: string): Field => {
      let slot = this.fields.indexOf(name);
      if (slot < 0) {
        slot = this.fields.push(name) - 1;
        this.getters.push(fieldGetter(name));
      }
      return { name, slot };
    };
    this.key = plan.key.map(named);
    this.time = plan.time ? named(plan.time.field) : null;
    this.source = plan.time?.sourceField ? named(plan.time.sourceField) : null;
    this.num = layout.num.map((c) => ({ ...named(c.field), presence: c.kind === "presence" }));
    this.dict = layout.dict.map(named);
    this.hash = layout.hash.map(named);
    this.keyValues = new Array(plan.key.length);
    this.vals = new Array(this.fields.length);
    this.msgpack = readableFromMsgpack(this.fields) ? new MsgpackFieldReader(this.fields) : null;
    this.typedPlan = this.key.length === 1 && this.source === null && this.dict.length === 0 && this.hash.length === 0;
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
    for (let f = 0; f < this.getters.length; f++) this.vals[f] = this.getters[f]!(r);
    return this.appendValues(b, this.vals, raw, input);
  }

  /**
   * Appends the records of msgpack `bytes` (one map, or with `arrays` an
   * array of maps) without building objects; each record's raw form is its
   * bytes. Returns null when every record is appended; otherwise k, the
   * index of the first record it did not append, and the caller decodes
   * the payload and appends records k onwards with {@link append}, which
   * gives each record or its problem exactly as for any other record (0:
   * the whole payload). This path only takes what it reads exactly, and
   * only valid records.
   */
  appendMsgpack(b: ColumnBatch, bytes: Uint8Array, input: string | undefined, arrays: boolean, start = 0, end = bytes.length): number | null {
    const m = this.msgpack;
    if (m === null) return 0;
    const t = start < end ? bytes[start]! : 0;
    if (!arrays || start === end || t < 0x90 || (t > 0x9f && t !== 0xdc)) {
      return m.read(bytes, start, end) && this.appendRead(b, m, bytes, start, end, input) ? null : 0;
    }
    const whole = start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
    const n = m.arrayLength(whole);
    if (n < 0) return 0;
    let p = m.arrayStart;
    for (let i = 0; i < n; i++) {
      const next = m.readMap(whole, p);
      if (next < 0 || !this.appendRead(b, m, whole, p, next, input)) return i;
      p = next;
    }
    return null;
  }

  /** Appends the record whose fields `m` holds (its bytes: `bytes[start, end)`); false, having appended nothing, when it has a problem. */
  private appendRead(b: ColumnBatch, m: MsgpackFieldReader, bytes: Uint8Array, start: number, end: number, input: string | undefined): boolean {
    if (this.appendTyped(b, m, bytes, start, end, input)) return true;
    for (let f = 0; f < this.fields.length; f++) this.vals[f] = m.value(f);
    return this.appendValues(b, this.vals, bytes.subarray(start, end), input) === null;
  }

  /**
   * The common record without a value object: one key field (string or
   * number), a numeric time, numeric or absent aggregated fields, no
   * distinct-count fields. Anything else returns false, having written
   * nothing, and goes through {@link appendValues}.
   */
  private appendTyped(b: ColumnBatch, m: MsgpackFieldReader, bytes: Uint8Array, start: number, end: number, input: string | undefined): boolean {
    if (!this.typedPlan) return false;
    const k = this.key[0]!.slot;
    const kk = m.kind[k];
    let keyId = -1;
    if (kk === STRING) {
      const e = m.str[k]!;
      if (e < this.keyIds.length) keyId = this.keyIds[e]!;
    } else if (kk !== NUMBER) return false;
    let ts = 0;
    if (this.time) {
      const t = this.time.slot;
      if (m.kind[t] !== NUMBER) return false;
      ts = toEventTime(m.num[t]!);
      if (ts !== ts) return false;
    }
    for (let c = 0; c < this.num.length; c++) {
      const f = this.num[c]!.slot;
      const fk = m.kind[f];
      if (fk === NUMBER) {
        if (!this.num[c]!.presence && !Number.isFinite(m.num[f]!)) return false;
      } else if (fk !== ABSENT && fk !== NIL && !this.num[c]!.presence) return false;
    }
    if (b.full) b.grow();
    const j = b.length;
    for (let c = 0; c < this.num.length; c++) {
      const f = this.num[c]!.slot;
      const fk = m.kind[f];
      b.num[c]![j] = fk === ABSENT || fk === NIL ? NaN : this.num[c]!.presence ? 1 : m.num[f]! + 0; // -0 → 0, as in appendValues
    }
    if (keyId < 0) {
      keyId = this.ctx.keys.id(m.value(k) as Scalar);
      if (kk === STRING) this.rememberKeyId(m.str[k]!, keyId);
    }
    b.keyId[j] = keyId;
    b.ts[j] = ts;
    b.input[j] = input !== undefined ? this.ctx.watermarks.inputIndex(input) : 0;
    b.setRawBytes(j, bytes, start, end);
    b.length = j + 1;
    return true;
  }

  private rememberKeyId(entry: number, keyId: number): void {
    if (entry >= this.keyIds.length) {
      const grown = new Int32Array(Math.max(2 * this.keyIds.length, entry + 1)).fill(-1);
      grown.set(this.keyIds);
      this.keyIds = grown;
    }
    this.keyIds[entry] = keyId;
  }

  /** The shared core: a record's field values by slot. */
  private appendValues(b: ColumnBatch, vals: readonly unknown[], raw: unknown, input: string | undefined): string | null {
    if (b.full) b.grow();
    const j = b.length;

    for (let k = 0; k < this.key.length; k++) {
      const v = vals[this.key[k]!.slot];
      if (!isScalar(v)) return this.keyProblem(this.key[k]!.name, v);
      this.keyValues[k] = v;
    }

    let ts = 0;
    if (this.time) {
      const v = vals[this.time.slot];
      ts = toEventTime(v);
      if (ts !== ts) return eventTimeProblem(this.time.name, v);
    }

    let inputName = "";
    if (this.source) {
      const v = vals[this.source.slot];
      if (typeof v !== "string" && typeof v !== "number") {
        return v == null ? `missing source field '${this.source.name}'` : `source field '${this.source.name}' must be a string, got ${describe(v)}`;
      }
      inputName = String(v);
    }

    for (let c = 0; c < this.num.length; c++) {
      const f = this.num[c]!;
      const v = vals[f.slot];
      if (v === undefined || v === null) b.num[c]![j] = NaN;
      else if (f.presence) b.num[c]![j] = 1;
      else if (typeof v === "number" && Number.isFinite(v)) b.num[c]![j] = v + 0; // -0 → 0: JSON cannot tell them apart
      else return `field '${f.name}' must be a finite number, got ${describe(v)}`;
    }
    for (let c = 0; c < this.dict.length; c++) {
      const v = vals[this.dict[c]!.slot];
      if (v === undefined || v === null) b.dict[c]![j] = -1;
      else if (isScalar(v)) b.dict[c]![j] = this.ctx.distinct[c]!.id(v);
      else return `field '${this.dict[c]!.name}' must be a string, number or boolean, got ${describe(v)}`;
    }
    for (let c = 0; c < this.hash.length; c++) {
      const v = vals[this.hash[c]!.slot];
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
    b.setRaw(j, raw);
    b.length = j + 1;
    return null;
  }

  private keyProblem(name: string, v: unknown): string {
    return v === undefined || v === null ? `missing key field '${name}'` : `key field '${name}' must be a string, number or boolean, got ${describe(v)}`;
  }
}
