import { beforeAll, describe, expect, it } from "vitest";
import { bare, plan, r, run, KERNELS, useKernel } from "../helpers/run.js";

describe.each(KERNELS)("%s kernel", (kernel) => {
  beforeAll(() => useKernel(kernel));

  describe("late records", () => {
    it("drops a (record, window) pair iff end - 1 + L <= W and counts a record late only if every window dropped it", () => {
      // sliding 10/5; after a@12, W = 11. a@8 is in [0,10) (9 <= 11: dropped) and [5,15) (kept): not late.
      // a@3 is in [-5,5) and [0,10): both dropped: late.
      const p = plan({ window: { sliding: { size: 10, slide: 5 } } });
      const { rows, late, counters } = run(p, [[r("a", 12), r("a", 8), r("a", 3)]]);
      expect(bare(rows)).toEqual([
        { k: "a", window_start: 5, window_end: 15, n: 2 },
        { k: "a", window_start: 10, window_end: 20, n: 1 },
      ]);
      expect(late).toEqual([r("a", 3)]);
      expect(counters.late).toBe(1);
    });

    it("re-fires the full updated window for each record accepted within allowed lateness (continuous)", () => {
      const p = plan({ allowedLateness: 5 });
      const { rows, late } = run(p, [[r("a", 1), r("a", 12), r("a", 3), r("a", 16), r("a", 4)]]);
      expect(rows).toEqual([
        { k: "a", window_start: 0, window_end: 10, n: 1, emitted_at: 1 },
        { k: "a", window_start: 0, window_end: 10, n: 2, emitted_at: 2 },
        { k: "a", window_start: 10, window_end: 20, n: 2, emitted_at: "eoi" },
      ]);
      // W = 15 after a@16 frees [0,10) (9 + 5 <= 15): a@4 is late
      expect(late).toEqual([r("a", 4)]);
    });

    it("late-fires once per batch in micro-batch mode, and drops after state is freed", () => {
      const p = plan({ allowedLateness: 5 }, "micro-batch");
      const { rows, late } = run(p, [[r("a", 1), r("a", 12)], [r("a", 3), r("a", 5)], [r("a", 16)], [r("a", 4)]]);
      expect(rows).toEqual([
        { k: "a", window_start: 0, window_end: 10, n: 1, emitted_at: 0 },
        { k: "a", window_start: 0, window_end: 10, n: 3, emitted_at: 1 },
        { k: "a", window_start: 10, window_end: 20, n: 2, emitted_at: "eoi" },
      ]);
      expect(late).toEqual([r("a", 4)]);
    });

    it("fires a window created by a late record at once when it is within allowed lateness", () => {
      // W = 24 after a@25; [0,10) is complete but 9 + 20 > 24: b@5 is accepted and fires at once
      const p = plan({ allowedLateness: 20 });
      const { rows } = run(p, [[r("a", 25), r("b", 5)]]);
      expect(rows[0]).toEqual({ k: "b", window_start: 0, window_end: 10, n: 1, emitted_at: 1 });
    });

    it("judges session lateness after merging: a record behind the watermark that joins an open session is kept", () => {
      // gap 5; a's session [10, 23) is open; b@21 makes W = 20; a@12's own window [12,17) is behind W
      const recs = [r("a", 10), r("a", 14), r("a", 18), r("b", 21), r("a", 12)];
      const p = plan({ window: { session: { gap: 5 } } });
      const { rows, late } = run(p, [recs]);
      expect(late).toEqual([]);
      expect(bare(rows)).toEqual([
        { k: "a", window_start: 10, window_end: 23, n: 4 },
        { k: "b", window_start: 21, window_end: 26, n: 1 },
      ]);
      // compat spark judges the record's own window before merging: late
      const spark = run(plan({ window: { session: { gap: 5 } }, compat: "spark", endOfInput: "flush" }), [recs]);
      expect(spark.late).toEqual([r("a", 12)]);
      expect(bare(spark.rows)[0]).toEqual({ k: "a", window_start: 10, window_end: 23, n: 3 });
    });

    it("sends late records to the late output exactly as they came in", () => {
      const odd = { k: "a", ts: 1, extra: { nested: [1, 2] } };
      const { late } = run(plan(), [[r("a", 20), odd]]);
      expect(late).toEqual([odd]);
      expect(late[0]).toBe(odd);
    });
  });

  describe("emission", () => {
    it("orders rows of one watermark advance by window end, then key", () => {
      const p = plan({ window: { sliding: { size: 10, slide: 5 } }, time: { field: "ts", maxOutOfOrderness: 10 } });
      const { rows } = run(p, [[r("b", 1), r("c", 2), r("a", 6), r("a", 30)]]);
      expect(rows.filter((x) => x.emitted_at === 3).map((x) => [x.window_end, x.k])).toEqual([
        [5, "b"],
        [5, "c"],
        [10, "a"],
        [10, "b"],
        [10, "c"],
        [15, "a"],
      ]);
    });

    it("orders keys by value: numbers before strings, tuples field by field", () => {
      const p = plan({ key: ["site", "dev"] });
      const recs = [
        { site: "x", dev: 2, ts: 1 },
        { site: "x", dev: 10, ts: 1 },
        { site: 1, dev: "z", ts: 1 },
        { site: "w", dev: 5, ts: 1 },
      ];
      const { rows } = run(p, [recs]);
      expect(rows.map((x) => [x.site, x.dev])).toEqual([
        [1, "z"],
        ["w", 5],
        ["x", 2],
        ["x", 10],
      ]);
    });

    it("emit update (continuous): one row per record that changes a window", () => {
      const p = plan({ emit: "update", window: { sliding: { size: 10, slide: 5 } } });
      const { rows, late } = run(p, [[r("a", 1), r("a", 7), r("a", 30), r("a", 2)]]);
      expect(rows).toEqual([
        { k: "a", window_start: -5, window_end: 5, n: 1, emitted_at: 0 },
        { k: "a", window_start: 0, window_end: 10, n: 1, emitted_at: 0 },
        { k: "a", window_start: 0, window_end: 10, n: 2, emitted_at: 1 },
        { k: "a", window_start: 5, window_end: 15, n: 1, emitted_at: 1 },
        { k: "a", window_start: 25, window_end: 35, n: 1, emitted_at: 2 },
        { k: "a", window_start: 30, window_end: 40, n: 1, emitted_at: 2 },
      ]);
      expect(late).toEqual([r("a", 2)]);
    });

    it("emit update (micro-batch): after each batch, every window that changed in it", () => {
      const p = plan({ emit: "update" }, "micro-batch");
      const { rows, late } = run(p, [[r("a", 1), r("a", 2), r("b", 3)], [r("a", 12)], [r("a", 4)]]);
      expect(rows).toEqual([
        { k: "a", window_start: 0, window_end: 10, n: 2, emitted_at: 0 },
        { k: "b", window_start: 0, window_end: 10, n: 1, emitted_at: 0 },
        { k: "a", window_start: 10, window_end: 20, n: 1, emitted_at: 1 },
      ]);
      expect(late).toEqual([r("a", 4)]);
    });

    it("emit complete (micro-batch): every window in state after each batch; nothing evicted or late", () => {
      const p = plan({ emit: "complete" }, "micro-batch");
      const { rows, late } = run(p, [[r("a", 1), r("b", 2)], [r("a", 12)], [r("a", 3)]]);
      expect(rows).toEqual([
        { k: "a", window_start: 0, window_end: 10, n: 1, emitted_at: 0 },
        { k: "b", window_start: 0, window_end: 10, n: 1, emitted_at: 0 },
        { k: "a", window_start: 0, window_end: 10, n: 1, emitted_at: 1 },
        { k: "b", window_start: 0, window_end: 10, n: 1, emitted_at: 1 },
        { k: "a", window_start: 10, window_end: 20, n: 1, emitted_at: 1 },
        { k: "a", window_start: 0, window_end: 10, n: 2, emitted_at: 2 },
        { k: "b", window_start: 0, window_end: 10, n: 1, emitted_at: 2 },
        { k: "a", window_start: 10, window_end: 20, n: 1, emitted_at: 2 },
      ]);
      expect(late).toEqual([]);
    });
  });

  describe("end of input", () => {
    it("flush: fires every open time window that has not fired yet", () => {
      const { rows } = run(plan({ endOfInput: "flush" }), [[r("a", 1), r("a", 12)]]);
      expect(rows.map((x) => x.emitted_at)).toEqual([1, "eoi"]);
    });

    it("hold: fires nothing at the end (Spark streaming)", () => {
      const { rows } = run(plan({ endOfInput: "hold" }), [[r("a", 1), r("a", 12)]]);
      expect(rows).toEqual([{ k: "a", window_start: 0, window_end: 10, n: 1, emitted_at: 1 }]);
    });

    it("adds no rows in update and complete modes, which emitted every change already", () => {
      const upd = run(plan({ emit: "update" }), [[r("a", 1)]]);
      expect(upd.rows.map((x) => x.emitted_at)).toEqual([0]);
      const cpl = run(plan({ emit: "complete" }, "micro-batch"), [[r("a", 1)]]);
      expect(cpl.rows.map((x) => x.emitted_at)).toEqual([0]);
    });

    it("compat spark defaults to hold", () => {
      const { rows } = run(plan({ compat: "spark" }), [[r("a", 1)]]);
      expect(rows).toEqual([]);
    });
  });
});
