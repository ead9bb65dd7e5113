import { beforeAll, describe, expect, it } from "vitest";
import { bare, plan, run, KERNELS, useKernel } from "../helpers/run.js";

const flush = { time: { field: "ts", maxOutOfOrderness: 1000 } };

describe.each(KERNELS)("%s kernel", (kernel) => {
  beforeAll(() => useKernel(kernel));

  describe("aggregates", () => {
    it("computes every aggregate over one window, skipping nulls as SQL does", () => {
      const p = plan({
        ...flush,
        aggregate: {
          n: "count()",
          nv: "count(v)",
          total: "sum(v)",
          mean: "avg(v)",
          lo: "min(v)",
          hi: "max(v)",
          first_v: "first(v)",
          last_v: "last(v)",
          distinct_v: "count_distinct(v)",
          approx_v: "approx_count_distinct(v)",
          median: "percentile(v, 0.5)",
          p30: "percentile(v, 0.3)",
          pa50: "percentile_approx(v, 0.5)",
          pa90: "percentile_approx(v, 0.9, 100)",
          q50: "quantile(v, 0.5)",
        },
      });
      const vals = [3, 1, null, 4, 1, 5];
      const { rows } = run(p, [vals.map((v, i) => ({ k: "a", ts: i, v }))]);
      const row = bare(rows)[0]!;
      expect(row).toMatchObject({
        n: 6,
        nv: 5,
        total: 14,
        mean: 2.8,
        lo: 1,
        hi: 5,
        first_v: 3,
        last_v: 5,
        distinct_v: 4,
        approx_v: 4,
        median: 3, // sorted 1 1 3 4 5, position 2
        p30: 1.4, // position 1.2: 0.8 * 1 + 0.2 * 3
        pa50: 3, // ceil(0.5 * 5) = 3rd smallest
        pa90: 5, // ceil(0.9 * 5) = 5th smallest
      });
      expect(Math.abs((row.q50 as number) - 3) / 3).toBeLessThanOrEqual(0.01);
    });

    it("computes variance and standard deviation, population and sample, as Flink's and Spark's functions of those names", () => {
      const p = plan({
        ...flush,
        aggregate: { vp: "var_pop(v)", vs: "var_samp(v)", sp: "stddev_pop(v)", ss: "stddev_samp(v)", sd: "stddev(v)", va: "variance(v)" },
      });
      // 2, 4, 4, 4, 5, 5, 7, 9 (and a null): mean 5, squared differences sum to 32
      const vals = [2, 4, null, 4, 4, 5, 5, 7, 9];
      const { rows } = run(p, [vals.map((v, i) => ({ k: "a", ts: i, v }))]);
      const row = bare(rows)[0]!;
      expect(row).toMatchObject({ vp: 4, vs: 32 / 7, sp: 2 });
      expect(row.ss).toBeCloseTo(Math.sqrt(32 / 7), 14);
      expect(row.sd).toBe(row.ss);
      expect(row.va).toBe(row.vs);
      // one value: the population forms are 0, the sample forms null; no value: all null
      const one = run(p, [[{ k: "a", ts: 1, v: 3 }, { k: "b", ts: 1 }]]);
      expect(bare(one.rows)).toEqual([
        { k: "a", window_start: 0, window_end: 10, vp: 0, vs: null, sp: 0, ss: null, sd: null, va: null },
        { k: "b", window_start: 0, window_end: 10, vp: null, vs: null, sp: null, ss: null, sd: null, va: null },
      ]);
    });

    it("gives null for aggregates over no values and 0 for counts", () => {
      const p = plan({ ...flush, aggregate: { n: "count()", nv: "count(v)", s: "sum(v)", m: "avg(v)", lo: "min(v)", f: "first(v)", p: "percentile(v, 0.5)", q: "quantile(v, 0.5)", d: "count_distinct(v)" } });
      const { rows } = run(p, [[{ k: "a", ts: 1 }]]);
      expect(bare(rows)[0]).toEqual({ k: "a", window_start: 0, window_end: 10, n: 1, nv: 0, s: null, m: null, lo: null, f: null, p: null, q: null, d: 0 });
    });

    it("counts distinct values of any scalar type, keeping 1 and \"1\" apart", () => {
      const p = plan({ ...flush, aggregate: { d: "count_distinct(s)", a: "approx_count_distinct(s)" } });
      const recs = [1, "1", true, "x", 1, "x", null].map((s, i) => ({ k: "a", ts: i, s }));
      const { rows } = run(p, [recs]);
      expect(bare(rows)[0]).toMatchObject({ d: 4, a: 4 });
    });

    it("aggregates every record under one global key when the spec has no key", () => {
      const p = plan({ ...flush, key: undefined });
      const { rows } = run(p, [[{ ts: 1 }, { ts: 2, k: "ignored" }, { ts: 11 }]]);
      expect(bare(rows)).toEqual([
        { window_start: 0, window_end: 10, n: 2 },
        { window_start: 10, window_end: 20, n: 1 },
      ]);
    });

    it("reads nested fields with dotted paths", () => {
      const p = plan({ ...flush, key: "dev.id", aggregate: { s: "sum(payload.temp)" } });
      const { rows } = run(p, [[{ dev: { id: "x" }, ts: 1, payload: { temp: 2.5 } }, { dev: { id: "x" }, ts: 2, payload: { temp: 1 } }]]);
      expect(bare(rows)).toEqual([{ "dev.id": "x", window_start: 0, window_end: 10, s: 3.5 }]);
    });

    it("dead-letters records with a missing key, a bad time or a non-numeric value, with reasons", () => {
      const p = plan({ aggregate: { s: "sum(v)" } });
      const bad = [{ ts: 1 }, { k: "a" }, { k: "a", ts: 1.5 }, { k: "a", ts: 1, v: "hot" }, { k: { o: 1 }, ts: 1 }, "text", [1]];
      const { deadLetters, counters } = run(p, [bad]);
      expect(deadLetters.map((d) => d.reason)).toEqual([
        "missing key field 'k'",
        "missing time field 'ts'",
        "time field 'ts' must be whole epoch milliseconds or an ISO-8601 date-time, got 1.5",
        'field \'v\' must be a finite number, got string "hot"',
        "key field 'k' must be a string, number or boolean, got an object",
        'record must be an object, got string "text"',
        "record must be an object, got a list",
      ]);
      expect(counters.deadLettered).toBe(7);
      expect(counters.recordsIn).toBe(0);
    });
  });
});
