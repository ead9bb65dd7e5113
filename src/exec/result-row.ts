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
