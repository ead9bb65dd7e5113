import fc from "fast-check";

/** A window spec as a user writes it, with parameters SEMANTICS.md allows. */
export const timeWindowArb = fc.oneof(
  fc.record({ size: fc.integer({ min: 1, max: 40 }), offFrac: fc.double({ min: -0.99, max: 0.99, noNaN: true }) }).map(({ size, offFrac }) => ({
    tumbling: { size, offset: Math.trunc(offFrac * size) },
  })),
  fc
    .record({ slide: fc.integer({ min: 1, max: 15 }), mult: fc.integer({ min: 1, max: 4 }), extra: fc.integer({ min: 0, max: 5 }), offFrac: fc.double({ min: -0.99, max: 0.99, noNaN: true }) })
    .map(({ slide, mult, extra, offFrac }) => ({ sliding: { size: slide * mult + Math.min(extra, slide - 1), slide, offset: Math.trunc(offFrac * slide) } })),
);

export const anyWindowArb = fc.oneof(
  timeWindowArb,
  fc.integer({ min: 1, max: 25 }).map((gap) => ({ session: { gap } })),
  fc.record({ size: fc.integer({ min: 1, max: 6 }), slide: fc.integer({ min: 1, max: 6 }) }).map(({ size, slide }) => ({ count: { size, slide: Math.min(size, slide) } })),
);

export interface Rec {
  k: string;
  ts: number;
  v: number | null;
  s: string;
}

const recArb = (tsArb: fc.Arbitrary<number>) =>
  fc.record({
    k: fc.constantFrom("a", "b", "c", "d"),
    ts: tsArb,
    v: fc.option(fc.integer({ min: -50, max: 50 }).map((x) => x / 4), { freq: 8 }),
    s: fc.constantFrom("x", "y", "z", "w"),
  });

/** Out-of-order records with negative and zero times. */
export const recordsArb = fc.array(recArb(fc.integer({ min: -60, max: 120 })), { maxLength: 80, size: "max" });

/** Records with strictly increasing event times. */
export const inOrderRecordsArb = fc
  .record({ start: fc.integer({ min: -100, max: 100 }), recs: fc.array(fc.tuple(recArb(fc.constant(0)), fc.integer({ min: 1, max: 7 })), { maxLength: 80, size: "max" }) })
  .map(({ start, recs }) => {
    let ts = start;
    return recs.map(([r, step]) => ({ ...r, ts: (ts += step) }));
  });

/** Cut points that split `n` items into consecutive batches. */
export function splitArb(maxBatches = 6) {
  return fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: maxBatches - 1, size: "max" });
}

export function splitAt<T>(items: T[], cuts: number[]): T[][] {
  const idx = cuts.map((c) => Math.floor(c * (items.length + 1))).sort((a, b) => a - b);
  const out: T[][] = [];
  let prev = 0;
  for (const i of idx) {
    out.push(items.slice(prev, i));
    prev = i;
  }
  out.push(items.slice(prev));
  return out;
}

export const AGGS = {
  n: "count()",
  nv: "count(v)",
  s: "sum(v)",
  lo: "min(v)",
  hi: "max(v)",
  m: "avg(v)",
  f: "first(v)",
  l: "last(v)",
  d: "count_distinct(s)",
  p: "percentile(v, 0.25)",
};

/** One of every aggregate over the number field `v`, the distinct counts over `distinctField`. */
export function everyAggregate(distinctField: string): Record<string, string> {
  return {
    n: "count()",
    nv: "count(v)",
    s: "sum(v)",
    m: "avg(v)",
    lo: "min(v)",
    hi: "max(v)",
    f: "first(v)",
    l: "last(v)",
    d: `count_distinct(${distinctField})`,
    a: `approx_count_distinct(${distinctField})`,
    p: "percentile(v, 0.4)",
    pa: "percentile_approx(v, 0.7)",
    q: "quantile(v, 0.9)",
    sd: "stddev(v)",
    vp: "var_pop(v)",
  };
}
