import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exactPercentile } from "../../src/aggregate/aggregators.js";
import { resolveSpec, runBatches, type Mode } from "../../src/index.js";
import { lastWindowStart } from "../../src/windows/time-windows.js";
import { AGGS, recordsArb, splitArb, splitAt, timeWindowArb, type Rec } from "../helpers/arbitraries.js";

/** Recomputes each window's aggregates from the raw records the SEMANTICS.md lateness rule accepts. */
function bruteForce(window: { size: number; slide: number; offset: number }, d: number, L: number, batches: Rec[][], mode: Mode) {
  const windows = new Map<string, Rec[]>();
  const late: Rec[] = [];
  let maxTs = -Infinity;
  for (const batch of batches) {
    let batchMax = maxTs;
    for (const rec of batch) {
      const wm = (mode === "continuous" ? maxTs : Math.max(-Infinity, maxTs)) - d - 1;
      let accepted = false;
      for (let s = lastWindowStart(rec.ts, window.offset, window.slide); s > rec.ts - window.size; s -= window.slide) {
        if (s + window.size - 1 + L <= wm) continue;
        accepted = true;
        const id = `${rec.k}|${s}`;
        windows.set(id, [...(windows.get(id) ?? []), rec]);
      }
      if (!accepted) late.push(rec);
      if (mode === "continuous") maxTs = Math.max(maxTs, rec.ts);
      else batchMax = Math.max(batchMax, rec.ts);
    }
    if (mode === "micro-batch") maxTs = batchMax;
  }
  const expected = new Map<string, Record<string, unknown>>();
  for (const [id, recs] of windows) {
    const vs = recs.map((r) => r.v).filter((v): v is number => v !== null);
    let sum = 0;
    for (const v of vs) sum += v;
    const sorted = vs.slice().sort((a, b) => a - b);
    expected.set(id, {
      n: recs.length,
      nv: vs.length,
      s: vs.length ? sum : null,
      lo: vs.length ? Math.min(...vs) : null,
      hi: vs.length ? Math.max(...vs) : null,
      m: vs.length ? sum / vs.length : null,
      f: vs.length ? vs[0] : null,
      l: vs.length ? vs[vs.length - 1] : null,
      d: new Set(recs.map((r) => r.s)).size,
      p: vs.length ? exactPercentile(sorted, 0.25) : null,
    });
  }
  return { expected, late };
}

describe("exact aggregates", () => {
  for (const mode of ["continuous", "micro-batch"] as const) {
    it(`equal a brute-force recomputation over the records each window accepted (${mode})`, () => {
      fc.assert(
        fc.property(timeWindowArb, fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 }), recordsArb, splitArb(), (w, d, L, recs, cuts) => {
          const plan = resolveSpec({ name: "b", time: { field: "ts", maxOutOfOrderness: d }, key: "k", window: w, allowedLateness: L, aggregate: AGGS }, { mode });
          const window = plan.window as { size: number; slide: number; offset: number };
          const batches = mode === "continuous" ? [recs] : splitAt(recs, cuts);
          const { rows, late } = runBatches(plan, batches);
          const brute = bruteForce(window, d, L, batches, mode);
          expect(late).toEqual(brute.late);
          const last = new Map<string, Record<string, unknown>>();
          for (const { k, window_start, window_end, emitted_at: _, ...aggs } of rows) {
            expect(window_end).toBe((window_start as number) + window.size);
            last.set(`${k}|${window_start}`, aggs);
          }
          expect(last).toEqual(brute.expected);
        }),
        { seed: 7, numRuns: 300 },
      );
    });
  }
});

describe("count windows", () => {
  it("equal a brute-force recomputation over each key's last records at every firing", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), recordsArb, (size, slideRaw, recs) => {
        const slide = Math.min(size, slideRaw);
        const plan = resolveSpec({ name: "c", key: "k", window: { count: { size, slide } }, aggregate: { n: "count()", s: "sum(v)", f: "first(v)", l: "last(v)", d: "count_distinct(s)" } });
        const { rows } = runBatches(plan, [recs]);
        const seen = new Map<string, Rec[]>();
        const expected: Record<string, unknown>[] = [];
        recs.forEach((rec, i) => {
          const mine = [...(seen.get(rec.k) ?? []), rec];
          seen.set(rec.k, mine);
          if (mine.length % slide !== 0) return;
          const last = mine.slice(-size);
          const vs = last.map((r) => r.v).filter((v): v is number => v !== null);
          expected.push({
            k: rec.k,
            window_seq: mine.length / slide - 1,
            n: last.length,
            s: vs.length ? vs.reduce((a, b) => a + b, 0) : null,
            f: vs.length ? vs[0] : null,
            l: vs.length ? vs[vs.length - 1] : null,
            d: new Set(last.map((r) => r.s)).size,
            emitted_at: i,
          });
        });
        expect(rows.length).toBe(expected.length);
        rows.forEach((row, j) => {
          const { s, ...rest } = expected[j]!;
          expect(row).toMatchObject(rest);
          if (s === null) expect(row.s).toBeNull();
          else expect(row.s).toBeCloseTo(s as number, 9);
        });
      }),
      { seed: 8, numRuns: 300 },
    );
  });
});
