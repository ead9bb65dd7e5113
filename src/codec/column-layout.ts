/**
 * Which columns records decode into, derived once from the plan. Each
 * aggregate reads one column; aggregates over the same field share it.
 *
 * - `num`: Float64Array, NaN = null (sum, avg, min, max, first, last,
 *   percentile, percentile_approx, quantile, variance and standard
 *   deviation); `count(x)` uses a presence
 *   column (1 or NaN) so that it counts values of any type.
 * - `dict`: Int32Array of dictionary ids, -1 = null (count_distinct: exact
 *   sets must be able to give the values back).
 * - `hash`: two uint32 per record, 0/0 = null (approx_count_distinct: only
 *   the hash is kept, so memory stays bounded however many values there are).
 */
import type { AggregatePlan, PipelinePlan } from "../plan/plan.js";

export type ColumnKind = "num" | "presence" | "dict" | "hash";

export interface ColumnSpec {
  field: string;
  kind: ColumnKind;
}

export interface ColumnLayout {
  /** Numeric and presence columns, in `batch.num` order. */
  num: readonly ColumnSpec[];
  dict: readonly string[];
  hash: readonly string[];
  /** For each aggregate (plan order), the index of its column in its kind's list; -1 for count(). */
  columnOf: readonly number[];
}

export function columnKindOf(a: AggregatePlan): ColumnKind | null {
  if (a.field === null) return null;
  if (a.fn === "count") return "presence";
  if (a.fn === "count_distinct") return "dict";
  if (a.fn === "approx_count_distinct") return "hash";
  return "num";
}

export function columnLayout(plan: PipelinePlan): ColumnLayout {
  const num: ColumnSpec[] = [];
  const dict: string[] = [];
  const hash: string[] = [];
  const columnOf = plan.aggregates.map((a) => {
    const kind = columnKindOf(a);
    if (kind === null) return -1;
    if (kind === "dict") return indexOrPush(dict, a.field!);
    if (kind === "hash") return indexOrPush(hash, a.field!);
    const at = num.findIndex((c) => c.field === a.field && c.kind === kind);
    return at >= 0 ? at : num.push({ field: a.field!, kind }) - 1;
  });
  return { num, dict, hash, columnOf };
}

function indexOrPush(list: string[], v: string): number {
  const at = list.indexOf(v);
  return at >= 0 ? at : list.push(v) - 1;
}
