/**
 * The three cases every contender runs. Each contender translates a case
 * into its own terms (a weir plan, a JavaScript loop, SQL); the output
 * column names below are shared so that result rows read alike.
 */
export type CaseName = "tumbling" | "sliding" | "tumbling-sketches";

export interface KernelCase {
  name: CaseName;
  /** For tables: what the case computes. */
  title: string;
  /** Window size and slide, ms (tumbling: slide = size). */
  size: number;
  slide: number;
  /**
   * false: `count()`, `sum(v)`, `min(v)`, `max(v)`, `avg(v)` as n, sum_v, min_v, max_v, avg_v.
   * true: `quantile(v, 0.99)` as p99 and `approx_count_distinct(k2)` as distinct_k2.
   */
  sketches: boolean;
}

/** q of the quantile in the sketch case. */
export const QUANTILE_Q = 0.99;

/** Watermark bound of every contender: the watermark trails the largest event time by 2 s. */
export const MAX_OUT_OF_ORDERNESS = 2000;

export const CASES: readonly KernelCase[] = [
  { name: "tumbling", title: "tumbling 10 s: count, sum, min, max, avg of v", size: 10_000, slide: 10_000, sketches: false },
  { name: "sliding", title: "sliding 60 s every 10 s: count, sum, min, max, avg of v", size: 60_000, slide: 10_000, sketches: false },
  {
    name: "tumbling-sketches",
    title: "tumbling 10 s: quantile(v, 0.99), approx_count_distinct(k2)",
    size: 10_000,
    slide: 10_000,
    sketches: true,
  },
];

/** The weir aggregate expressions of a case, by output name. */
export function weirAggregates(c: KernelCase): Record<string, string> {
  return c.sketches
    ? { p99: `quantile(v, ${QUANTILE_Q})`, distinct_k2: "approx_count_distinct(k2)" }
    : { n: "count()", sum_v: "sum(v)", min_v: "min(v)", max_v: "max(v)", avg_v: "avg(v)" };
}
