/**
 * The agreement check: contenders that disagree are not compared by speed.
 * Cases without sketches must agree exactly on rows, counts and late
 * records, and within {@link SUM_RELATIVE} on sums (the order of additions
 * differs). In the sketch case the rows must agree, and each contender's
 * Σ p99 and Σ distinct_k2 must lie within the documented error of the
 * exact values a contender that keeps every value reports.
 */
import type { KernelCase } from "./cases.js";
import type { Totals } from "./totals.js";

/** Relative tolerance of sums of doubles added in different orders. */
export const SUM_RELATIVE = 1e-9;
/** weir's quantile: DDSketch within 1% relative error of the value at its rank (docs/semantics.md "Aggregates"). */
export const QUANTILE_RELATIVE = 0.01;
/**
 * weir's approx_count_distinct: HyperLogLog, default rsd (relative standard
 * error) 0.05; allowed: three of them. Not less: windows that see the same
 * values see the same hash registers and so the same error, which then does
 * not average out in the sum (100 windows over the same 50 values are one
 * estimate repeated 100 times).
 */
export const DISTINCT_RELATIVE = 3 * 0.05;

export interface Outcome {
  impl: string;
  totals: Totals;
}

const relDiff = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));

/** Every way the outcomes of one case disagree; empty when they agree. */
export function disagreements(c: KernelCase, outcomes: readonly Outcome[]): string[] {
  const problems: string[] = [];
  const [first, ...rest] = outcomes;
  if (!first) return problems;
  const ref = first.totals;
  const differ = (o: Outcome, what: string, mine: number, theirs: number) =>
    problems.push(`${c.name}: ${o.impl} has ${what} ${mine}, ${first.impl} has ${theirs}`);

  for (const o of rest) {
    const t = o.totals;
    if (t.rows !== ref.rows) differ(o, "rows", t.rows, ref.rows);
    if (t.late !== ref.late) differ(o, "late records", t.late, ref.late);
    if (c.sketches) continue;
    if (t.count !== ref.count) differ(o, "Σ count", t.count, ref.count);
    if (relDiff(t.sum, ref.sum) > SUM_RELATIVE) differ(o, "Σ sum(v)", t.sum, ref.sum);
  }
  if (c.sketches) problems.push(...sketchProblems(c, outcomes));
  return problems;
}

function sketchProblems(c: KernelCase, outcomes: readonly Outcome[]): string[] {
  const problems: string[] = [];
  const exact = outcomes.find((o) => o.totals.exact);
  if (exact) {
    const { quantileLo, quantileHi, distinct } = exact.totals.exact!;
    const lo = quantileLo * (1 - QUANTILE_RELATIVE);
    const hi = quantileHi * (1 + QUANTILE_RELATIVE);
    for (const o of outcomes) {
      const t = o.totals;
      if (!(t.quantile >= lo && t.quantile <= hi)) {
        problems.push(`${c.name}: ${o.impl} has Σ p99 ${t.quantile}, outside [${lo}, ${hi}] (exact order statistics from ${exact.impl} ± ${QUANTILE_RELATIVE})`);
      }
      if (relDiff(t.distinct, distinct) > DISTINCT_RELATIVE) {
        problems.push(`${c.name}: ${o.impl} has Σ distinct_k2 ${t.distinct}, exact is ${distinct} (${exact.impl}); allowed ± ${DISTINCT_RELATIVE}`);
      }
    }
    return problems;
  }
  // No exact reference: two estimates may each be off by the bound, in opposite directions.
  const [first, ...rest] = outcomes;
  for (const o of rest) {
    if (relDiff(o.totals.quantile, first!.totals.quantile) > 2 * QUANTILE_RELATIVE) {
      problems.push(`${c.name}: ${o.impl} has Σ p99 ${o.totals.quantile}, ${first!.impl} has ${first!.totals.quantile}`);
    }
    if (relDiff(o.totals.distinct, first!.totals.distinct) > 2 * DISTINCT_RELATIVE) {
      problems.push(`${c.name}: ${o.impl} has Σ distinct_k2 ${o.totals.distinct}, ${first!.impl} has ${first!.totals.distinct}`);
    }
  }
  return problems;
}
