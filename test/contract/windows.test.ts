import { beforeAll, describe, expect, it } from "vitest";
import { lastWindowStart } from "../../src/windows/time-windows.js";
import { bare, plan, r, run, KERNELS, useKernel } from "../helpers/run.js";

const flushAll = { time: { field: "ts", maxOutOfOrderness: 1_000_000 } };

describe.each(KERNELS)("%s kernel", (kernel) => {
  beforeAll(() => useKernel(kernel));

  describe("tumbling and sliding window assignment", () => {
    it("aligns tumbling windows to the epoch, including negative and zero times", () => {
      const p = plan({ ...flushAll });
      const { rows } = run(p, [[r("a", -11), r("a", -10), r("a", -1), r("a", 0), r("a", 9)]]);
      expect(bare(rows)).toEqual([
        { k: "a", window_start: -20, window_end: -10, n: 1 },
        { k: "a", window_start: -10, window_end: 0, n: 2 },
        { k: "a", window_start: 0, window_end: 10, n: 2 },
      ]);
    });

    it("shifts tumbling windows by a positive or negative offset", () => {
      const pos = plan({ ...flushAll, window: { tumbling: { size: 10, offset: 3 } } });
      expect(bare(run(pos, [[r("a", 2), r("a", 3)]]).rows)).toEqual([
        { k: "a", window_start: -7, window_end: 3, n: 1 },
        { k: "a", window_start: 3, window_end: 13, n: 1 },
      ]);
      const neg = plan({ ...flushAll, window: { tumbling: { size: 10, offset: -3 } } });
      expect(bare(run(neg, [[r("a", 6), r("a", 7)]]).rows)).toEqual([
        { k: "a", window_start: -3, window_end: 7, n: 1 },
        { k: "a", window_start: 7, window_end: 17, n: 1 },
      ]);
    });

    it("puts a record in every sliding window [s, s+size) with s = lastStart - k*slide > ts - size", () => {
      // size 10, slide 4, offset 1, ts 0: lastStart = 0 - floorMod(-1, 4) = -3 → [-3,7), [-7,3)
      expect(lastWindowStart(0, 1, 4)).toBe(-3);
      const p = plan({ ...flushAll, window: { sliding: { size: 10, slide: 4, offset: 1 } } });
      expect(bare(run(p, [[r("a", 0)]]).rows)).toEqual([
        { k: "a", window_start: -7, window_end: 3, n: 1 },
        { k: "a", window_start: -3, window_end: 7, n: 1 },
      ]);
    });

    it("parses ISO-8601 event times to epoch ms, reading a time without zone as UTC", () => {
      const p = plan({ ...flushAll, window: { tumbling: "1s" } });
      const { rows, deadLetters } = run(p, [
        [
          { k: "a", ts: "1970-01-01T00:00:00.005Z" },
          { k: "a", ts: "1970-01-01T00:00:00.900" },
          { k: "a", ts: "1970-01-01T02:00:01+02:00" },
          { k: "a", ts: "yesterday" },
        ],
      ]);
      expect(bare(rows)).toEqual([
        { k: "a", window_start: 0, window_end: 1000, n: 2 },
        { k: "a", window_start: 1000, window_end: 2000, n: 1 },
      ]);
      expect(deadLetters.map((d) => d.reason)).toEqual([expect.stringContaining("time field 'ts'")]);
    });
  });

  describe("session windows", () => {
    it("merges sessions that touch (a.end == b.start) and keeps apart those with a gap", () => {
      const p = plan({ ...flushAll, window: { session: { gap: 5 } } });
      const { rows } = run(p, [[r("a", 0), r("a", 5), r("a", 11)]]);
      expect(bare(rows)).toEqual([
        { k: "a", window_start: 0, window_end: 10, n: 2 },
        { k: "a", window_start: 11, window_end: 16, n: 1 },
      ]);
    });

    it("merges two sessions bridged by a record between them into their cover", () => {
      const p = plan({ ...flushAll, window: { session: { gap: 5 } } });
      const { rows } = run(p, [[r("a", 0), r("a", 10), r("b", 3), r("a", 5)]]);
      expect(bare(rows)).toEqual([
        { k: "b", window_start: 3, window_end: 8, n: 1 },
        { k: "a", window_start: 0, window_end: 15, n: 3 },
      ]);
    });
  });

  describe("count windows", () => {
    it("fires and purges every N records of a key and never emits an incomplete window", () => {
      const p = plan({ window: { count: 3 }, aggregate: { n: "count()", s: "sum(v)" } });
      const recs = [1, 2, 3, 4, 5, 6, 7].map((v) => r("a", 0, v));
      const { rows } = run(p, [[...recs, r("b", 0, 1)]]);
      expect(rows).toEqual([
        { k: "a", window_seq: 0, n: 3, s: 6, emitted_at: 2 },
        { k: "a", window_seq: 1, n: 3, s: 15, emitted_at: 5 },
      ]);
    });

    it("fires every `slide` records with the last (at most) `size` records", () => {
      const p = plan({ window: { count: { size: 3, slide: 2 } }, aggregate: { n: "count()", s: "sum(v)", f: "first(v)" } });
      const { rows } = run(p, [[1, 2, 3, 4, 5, 6, 7].map((v) => r("a", 0, v))]);
      expect(bare(rows)).toEqual([
        { k: "a", window_seq: 0, n: 2, s: 3, f: 1 },
        { k: "a", window_seq: 1, n: 3, s: 9, f: 2 },
        { k: "a", window_seq: 2, n: 3, s: 15, f: 4 },
      ]);
    });

    it("counts per key in arrival order and ignores event time (never late)", () => {
      const p = plan({ window: { count: 2 } });
      const { rows, late } = run(p, [[r("a", 100), r("b", 0), r("a", -100), r("b", 5)]]);
      expect(bare(rows)).toEqual([
        { k: "a", window_seq: 0, n: 2 },
        { k: "b", window_seq: 0, n: 2 },
      ]);
      expect(late).toEqual([]);
    });
  });
});
