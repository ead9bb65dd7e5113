/**
 * Queryable state: the windows a pipeline holds right now, with the result
 * their aggregates would give if they fired now. Read from a kernel
 * snapshot (the same kernel-neutral form checkpoints use), so it works with
 * either kernel; it costs a pass over the state, for inspection, not the hot path.
 */
import { decodePartialState } from "../aggregate/partial-state.js";
import type { ResultRow } from "./result-row.js";
import type { WindowOperator } from "./window-operator.js";

/**
 * Open windows, optionally of one key (`key`: the key value, or the values
 * of a composite key joined by `|`), ordered by key then window start.
 */
export function queryOpenWindows(op: WindowOperator, key?: string): ResultRow[] {
  const plan = op.plan;
  const aggs = op.aggregators;
  const snap = op.kernel.snapshot();
  const keyOf = (id: number) => (plan.key.length === 0 ? [] : op.keys.values(id));
  const matches = (id: number) => key === undefined || keyOf(id).map(String).join("|") === key;
  const base = (id: number): ResultRow => {
    const row: ResultRow = {};
    keyOf(id).forEach((v, i) => (row[plan.key[i]!] = v));
    return row;
  };
  const withResults = (row: ResultRow, states: unknown[]) => {
    aggs.forEach((a, i) => (row[a.plan.name] = a.result(states[i])));
    return row;
  };
  const rows: { id: number; order: number; row: ResultRow }[] = [];
  for (const w of snap.windows) {
    if (!matches(w.key)) continue;
    const row = base(w.key);
    row.window_start = w.start;
    row.window_end = w.end;
    rows.push({ id: w.key, order: w.start, row: withResults(row, decodePartialState(aggs, w.state)) });
  }
  for (const c of snap.counts) {
    if (!matches(c.key)) continue;
    const merged = aggs.map((a) => a.create());
    for (const slice of c.ring) if (slice) decodePartialState(aggs, slice).forEach((s, i) => aggs[i]!.merge(merged[i], s));
    const row = base(c.key);
    row.window_seq = c.fired;
    rows.push({ id: c.key, order: c.fired, row: withResults(row, merged) });
  }
  rows.sort((a, b) => op.keys.compare(a.id, b.id) || a.order - b.order);
  return rows.map((r) => r.row);
}
