/**
 * The aggregate functions of docs/semantics.md "Aggregates", as accumulators
 * with `create` / `add` / `merge` / `result` (Flink's AggregateFunction
 * shape) plus `toPartial` / `fromPartial`: plain, msgpack-friendly partial
 * state that merges exactly at a central tier or restores a checkpoint.
 *
 * Nulls (missing fields) are skipped by every aggregate but `count()`, as in
 * SQL; an aggregate over no values gives null. `first` / `last` follow
 * arrival order (the `seq` each record gets when it enters the pipeline).
 */
import type { ColumnBatch } from "../codec/column-batch.js";
import type { ColumnLayout } from "../codec/column-layout.js";
import type { AggregatePlan } from "../plan/plan.js";
import type { Scalar, ValueDictionary } from "../state/dictionary.js";
import { DDSketch, type DDSketchPartial } from "./ddsketch.js";
import { hllAdd, hllEstimate, hllMerge } from "./hyperloglog.js";

export interface Aggregator<S = any> {
  readonly plan: AggregatePlan;
  create(): S;
  /** Adds record i of the batch; `seq` is its arrival number. */
  add(s: S, b: ColumnBatch, i: number, seq: number): void;
  /** Merges `other` into `into` (both built by this aggregator). */
  merge(into: S, other: S): void;
  result(s: S): number | null;
  toPartial(s: S): unknown;
  fromPartial(p: any): S;
}

interface Num {
  n: number;
  sum: number;
}
interface Pick {
  v: number;
  seq: number;
}

const countAll = (plan: AggregatePlan): Aggregator<{ n: number }> => ({
  plan,
  create: () => ({ n: 0 }),
  add: (s) => void s.n++,
  merge: (a, b) => void (a.n += b.n),
  result: (s) => s.n,
  toPartial: (s) => s.n,
  fromPartial: (p: number) => ({ n: p }),
});

const countField = (plan: AggregatePlan, c: number): Aggregator<{ n: number }> => ({
  ...countAll(plan),
  add: (s, b, i) => void (b.num[c]![i] === b.num[c]![i] && s.n++),
});

/** sum and avg share the state {n, sum}; n counts non-null values. */
const sumLike = (plan: AggregatePlan, c: number, avg: boolean): Aggregator<Num> => ({
  plan,
  create: () => ({ n: 0, sum: 0 }),
  add: (s, b, i) => {
    const v = b.num[c]![i]!;
    if (v === v) {
      s.n++;
      s.sum += v;
    }
  },
  merge: (a, b) => {
    a.n += b.n;
    a.sum += b.sum;
  },
  result: (s) => (s.n === 0 ? null : avg ? s.sum / s.n : s.sum),
  toPartial: (s) => [s.sum, s.n],
  fromPartial: (p: [number, number]) => ({ sum: p[0], n: p[1] }),
});

const extreme = (plan: AggregatePlan, c: number, max: boolean): Aggregator<{ v: number | null }> => {
  const better = (a: number, b: number) => (max ? a > b : a < b);
  return {
    plan,
    create: () => ({ v: null }),
    add: (s, b, i) => {
      const v = b.num[c]![i]!;
      if (v === v && (s.v === null || better(v, s.v))) s.v = v;
    },
    merge: (a, b) => {
      if (b.v !== null && (a.v === null || better(b.v, a.v))) a.v = b.v;
    },
    result: (s) => s.v,
    toPartial: (s) => s.v,
    fromPartial: (p: number | null) => ({ v: p }),
  };
};

const pick = (plan: AggregatePlan, c: number, last: boolean): Aggregator<Pick> => {
  const replaces = (seq: number, s: Pick) => s.seq < 0 || (last ? seq > s.seq : seq < s.seq);
  return {
    plan,
    create: () => ({ v: 0, seq: -1 }),
    add: (s, b, i, seq) => {
      const v = b.num[c]![i]!;
      if (v === v && replaces(seq, s)) {
        s.v = v;
        s.seq = seq;
      }
    },
    merge: (a, b) => {
      if (b.seq >= 0 && replaces(b.seq, a)) {
        a.v = b.v;
        a.seq = b.seq;
      }
    },
    result: (s) => (s.seq < 0 ? null : s.v),
    toPartial: (s) => (s.seq < 0 ? null : [s.v, s.seq]),
    fromPartial: (p: [number, number] | null) => (p === null ? { v: 0, seq: -1 } : { v: p[0], seq: p[1] }),
  };
};

const distinct = (plan: AggregatePlan, c: number, dict: ValueDictionary): Aggregator<Set<number>> => ({
  plan,
  create: () => new Set(),
  add: (s, b, i) => {
    const id = b.dict[c]![i]!;
    if (id >= 0) s.add(id);
  },
  merge: (a, b) => void b.forEach((id) => a.add(id)),
  result: (s) => s.size,
  toPartial: (s) => [...s].map((id) => dict.values[id]),
  fromPartial: (p: Scalar[]) => new Set(p.map((v) => dict.id(v))),
});

const approxDistinct = (plan: AggregatePlan, c: number): Aggregator<Uint8Array> => {
  const p = plan.precision!;
  return {
    plan,
    create: () => new Uint8Array(1 << p),
    add: (s, b, i) => {
      const hi = b.hash[c]![2 * i]!;
      const lo = b.hash[c]![2 * i + 1]!;
      if ((hi | lo) !== 0) hllAdd(s, p, hi, lo);
    },
    merge: (a, b) => void hllMerge(a, b),
    result: (s) => hllEstimate(s),
    toPartial: (s) => s,
    fromPartial: (r: Uint8Array) => Uint8Array.from(r),
  };
};

/** Exact percentiles keep every value (they cannot be merged otherwise). */
const samples = (plan: AggregatePlan, c: number, result: (sorted: number[]) => number): Aggregator<number[]> => ({
  plan,
  create: () => [],
  add: (s, b, i) => {
    const v = b.num[c]![i]!;
    if (v === v) s.push(v);
  },
  merge: (a, b) => {
    for (const v of b) a.push(v);
  },
  result: (s) => (s.length === 0 ? null : result(s.slice().sort((x, y) => x - y))),
  toPartial: (s) => s,
  fromPartial: (p: number[]) => p.slice(),
});

/** Spark's `percentile`: linear interpolation between the closest ranks. */
export function exactPercentile(sorted: number[], p: number): number {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  if (lo === hi) return sorted[lo]!;
  return (hi - pos) * sorted[lo]! + (pos - lo) * sorted[hi]!;
}

/** Spark's `percentile_approx` while n <= accuracy: the ceil(p * n)-th smallest value. */
export function rankPercentile(sorted: number[], p: number): number {
  const k = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[k - 1]!;
}

const quantile = (plan: AggregatePlan, c: number): Aggregator<DDSketch> => ({
  plan,
  create: () => new DDSketch(),
  add: (s, b, i) => {
    const v = b.num[c]![i]!;
    if (v === v) s.add(v);
  },
  merge: (a, b) => void a.merge(b),
  result: (s) => s.quantile(plan.p!),
  toPartial: (s) => s.toPartial(),
  fromPartial: (p: DDSketchPartial) => DDSketch.fromPartial(p),
});

/**
 * Variance and standard deviation share the state {n, mean, m2} (m2: the
 * sum of squared differences from the mean), updated by Welford's method
 * and merged by Chan et al.'s formula, so that no large sum of squares is
 * subtracted from another. The WASM kernel does the same operations in the
 * same order (assembly/accumulators.ts).
 */
interface Moments {
  n: number;
  mean: number;
  m2: number;
}

/** Adds value v to moments s. */
export function momentsAdd(s: Moments, v: number): void {
  s.n++;
  const delta = v - s.mean;
  s.mean += delta / s.n;
  s.m2 += delta * (v - s.mean);
}

/** Merges moments b into a. */
export function momentsMerge(a: Moments, b: Moments): void {
  if (b.n === 0) return;
  if (a.n === 0) {
    a.n = b.n;
    a.mean = b.mean;
    a.m2 = b.m2;
    return;
  }
  const n = a.n + b.n;
  const delta = b.mean - a.mean;
  a.mean += delta * (b.n / n);
  a.m2 += b.m2 + delta * delta * ((a.n * b.n) / n);
  a.n = n;
}

/** Population (n) or sample (n − 1) variance, or its square root; null below 1 (2) values, as in Flink and Spark. */
function momentsResult(s: Moments, sample: boolean, root: boolean): number | null {
  const d = sample ? s.n - 1 : s.n;
  if (d < 1) return null;
  const variance = s.m2 / d;
  return root ? Math.sqrt(variance) : variance;
}

const moments = (plan: AggregatePlan, c: number, sample: boolean, root: boolean): Aggregator<Moments> => ({
  plan,
  create: () => ({ n: 0, mean: 0, m2: 0 }),
  add: (s, b, i) => {
    const v = b.num[c]![i]!;
    if (v === v) momentsAdd(s, v);
  },
  merge: momentsMerge,
  result: (s) => momentsResult(s, sample, root),
  toPartial: (s) => [s.n, s.mean, s.m2],
  fromPartial: (p: [number, number, number]) => ({ n: p[0], mean: p[1], m2: p[2] }),
});

/** Dictionaries of the `dict` columns, in layout order. */
export interface AggregatorContext {
  layout: ColumnLayout;
  distinctValues: readonly ValueDictionary[];
}

/** One aggregator per plan aggregate, in plan order. */
export function createAggregators(aggregates: readonly AggregatePlan[], ctx: AggregatorContext): Aggregator[] {
  return aggregates.map((a, k) => {
    const c = ctx.layout.columnOf[k]!;
    switch (a.fn) {
      case "count":
        return a.field === null ? countAll(a) : countField(a, c);
      case "sum":
        return sumLike(a, c, false);
      case "avg":
        return sumLike(a, c, true);
      case "min":
        return extreme(a, c, false);
      case "max":
        return extreme(a, c, true);
      case "first":
        return pick(a, c, false);
      case "last":
        return pick(a, c, true);
      case "count_distinct":
        return distinct(a, c, ctx.distinctValues[c]!);
      case "approx_count_distinct":
        return approxDistinct(a, c);
      case "percentile":
        return samples(a, c, (s) => exactPercentile(s, a.p!));
      case "percentile_approx":
        return samples(a, c, (s) => rankPercentile(s, a.p!));
      case "quantile":
        return quantile(a, c);
      case "stddev_pop":
        return moments(a, c, false, true);
      case "stddev_samp":
        return moments(a, c, true, true);
      case "var_pop":
        return moments(a, c, false, false);
      case "var_samp":
        return moments(a, c, true, false);
    }
  });
}
