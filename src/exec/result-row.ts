/**
 * Result rows (the contract of docs/configuration.md "Result rows"): the key
 * fields under their own names, then `window_start` and `window_end` (epoch
 * ms, start inclusive, end exclusive) for time windows or `window_seq` for
 * count windows, then each aggregate under its output name.
 */
import type { FiredWindow } from "../kernel/kernel.js";
import type { PipelinePlan } from "../plan/plan.js";
import type { KeyDictionary } from "../state/dictionary.js";

export type ResultRow = Record<string, string | number | boolean | null>;

export function rowBuilder(plan: PipelinePlan, keys: KeyDictionary): (w: FiredWindow) => ResultRow {
  const keyNames = plan.key;
  const aggNames = plan.aggregates.map((a) => a.name);
  const count = plan.window.kind === "count";
  return (w) => {
    const row: ResultRow = {};
    const kv = keys.values(w.keyId);
    for (let k = 0; k < keyNames.length; k++) row[keyNames[k]!] = kv[k]!;
    if (count) row.window_seq = w.seq;
    else {
      row.window_start = w.start;
      row.window_end = w.end;
    }
    for (let a = 0; a < aggNames.length; a++) row[aggNames[a]!] = w.values[a]!;
    return row;
  };
}

/** A field name that JSON.stringify would move to the front of an object (an array index). */
const ARRAY_INDEX = /^(0|[1-9]\d*)$/;

/**
 * Encodes a fired window as the JSON text of its result row: exactly
 * `JSON.stringify(rowBuilder(plan, keys)(w))`, without building the row
 * (a live pipeline writing JSON rows to NATS spends most of a row's cost
 * on the object and its stringify). Each key's part is encoded once.
 * Null when the row's names would make the object differ from its fields
 * in order (a name that is an array index, or two equal names): callers
 * then build rows.
 */
export function rowJsonEncoder(plan: PipelinePlan, keys: KeyDictionary): ((w: FiredWindow) => string) | null {
  const count = plan.window.kind === "count";
  const names = [...plan.key, ...(count ? ["window_seq"] : ["window_start", "window_end"]), ...plan.aggregates.map((a) => a.name)];
  if (new Set(names).size !== names.length || names.some((n) => ARRAY_INDEX.test(n))) return null;
  const prefix = names.map((n, i) => `${i === 0 ? "{" : ","}${JSON.stringify(n)}:`);
  const nk = plan.key.length;
  const toRow = rowBuilder(plan, keys);
  /** Per key id: `{"k":v,...` of its key fields; null when a key value has no JSON form of its own (undefined). */
  const keyParts: (string | null)[] = [];
  const value = (v: unknown) => (typeof v === "number" ? (Number.isFinite(v) ? String(v) : "null") : v === null ? "null" : JSON.stringify(v));
  let lastStart = NaN;
  let lastEnd = NaN;
  let windowPart = "";
  return (w) => {
    let s = keyParts[w.keyId];
    if (s === undefined) {
      const kv = keys.values(w.keyId);
      s = "";
      for (let k = 0; k < nk && s !== null; k++) s = kv[k] === undefined ? null : s + prefix[k] + value(kv[k]);
      keyParts[w.keyId] = s;
    }
    if (s === null) return JSON.stringify(toRow(w));
    let p = nk;
    if (count) s += prefix[p++] + value(w.seq);
    else {
      // the rows of one firing share their window: its part is encoded once
      if (w.start !== lastStart || w.end !== lastEnd) {
        lastStart = w.start;
        lastEnd = w.end;
        windowPart = prefix[p] + value(w.start) + prefix[p + 1] + value(w.end);
      }
      s += windowPart;
      p += 2;
    }
    const vals = w.values;
    for (let a = 0; a < vals.length; a++) s += prefix[p++] + value(vals[a]);
    return s + "}";
  };
}
