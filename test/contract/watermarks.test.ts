import { beforeAll, describe, expect, it } from "vitest";
import { createExecutor, WindowOperator, type ResultRow } from "../../src/index.js";
import { bare, plan, r, run, KERNELS, useKernel } from "../helpers/run.js";

/** Two inputs: s1 runs ahead, s2 starts late and catches up. */
const twoInputs = [
  { src: "s1", k: "a", ts: 5 },
  { src: "s1", k: "a", ts: 25 },
  { src: "s2", k: "b", ts: 3 },
  { src: "s2", k: "b", ts: 15 },
];

describe.each(KERNELS)("%s kernel", (kernel) => {
  beforeAll(() => useKernel(kernel));

  describe("watermark", () => {
    it("is M - d - 1 and completes a window once M - d >= end", () => {
      // d = 2: after ts 11, W = 8 < 9; after ts 12, W = 9 = end - 1 of [0, 10)
      const p = plan({ time: { field: "ts", maxOutOfOrderness: 2 } });
      const { rows } = run(p, [[r("a", 1), r("a", 11), r("a", 12)]]);
      expect(rows).toEqual([
        { k: "a", window_start: 0, window_end: 10, n: 1, emitted_at: 2 },
        { k: "a", window_start: 10, window_end: 20, n: 2, emitted_at: "eoi" },
      ]);
    });

    it("is one per pipeline: one key's data closes every key's windows", () => {
      const { rows } = run(plan(), [[r("a", 1), r("b", 15)]]);
      expect(rows[0]).toEqual({ k: "a", window_start: 0, window_end: 10, n: 1, emitted_at: 1 });
    });

    it("advances after every record in continuous mode, and once per batch in micro-batch mode", () => {
      const batches = [[r("a", 15), r("a", 5)]];
      const cont = run(plan({}, "continuous"), batches);
      expect(bare(cont.rows)).toEqual([{ k: "a", window_start: 10, window_end: 20, n: 1 }]);
      expect(cont.late).toEqual([r("a", 5)]);
      const micro = run(plan({}, "micro-batch"), batches);
      expect(micro.rows).toEqual([
        { k: "a", window_start: 0, window_end: 10, n: 1, emitted_at: 0 },
        { k: "a", window_start: 10, window_end: 20, n: 1, emitted_at: "eoi" },
      ]);
      expect(micro.late).toEqual([]);
    });

    it("emits windows closed at a batch end right after that batch (micro-batch)", () => {
      const p = plan({ time: { field: "ts", maxOutOfOrderness: 2 } }, "micro-batch");
      const { rows } = run(p, [[r("a", 1), r("a", 11)], [r("a", 12)], []]);
      expect(rows).toEqual([
        { k: "a", window_start: 0, window_end: 10, n: 1, emitted_at: 1 },
        { k: "a", window_start: 10, window_end: 20, n: 2, emitted_at: "eoi" },
      ]);
    });

    it("takes the minimum over inputs; an input that sent nothing holds it back", () => {
      const p = plan({ time: { field: "ts", sourceField: "src", sources: { s1: {}, s2: {} } } });
      const { rows, late } = run(p, [twoInputs]);
      expect(rows).toEqual([
        { k: "a", window_start: 0, window_end: 10, n: 1, emitted_at: 3 },
        { k: "b", window_start: 0, window_end: 10, n: 1, emitted_at: 3 },
        { k: "b", window_start: 10, window_end: 20, n: 1, emitted_at: "eoi" },
        { k: "a", window_start: 20, window_end: 30, n: 1, emitted_at: "eoi" },
      ]);
      expect(late).toEqual([]);
    });

    it("takes the maximum over inputs with policy max", () => {
      const p = plan({ time: { field: "ts", sourceField: "src", sources: { s1: {}, s2: {} }, policy: "max" } });
      const { rows, late } = run(p, [twoInputs]);
      expect(rows).toEqual([
        { k: "a", window_start: 0, window_end: 10, n: 1, emitted_at: 1 },
        { k: "a", window_start: 20, window_end: 30, n: 1, emitted_at: "eoi" },
      ]);
      expect(late).toEqual([twoInputs[2], twoInputs[3]]);
    });

    it("uses a per-input bound from time.sources, and maxOutOfOrderness for inputs not listed", () => {
      // s1 bound 10: after s1@30 its W is 19; s2 (unlisted, bound 0) after s2@18: W 17 → min 17
      const p = plan({ time: { field: "ts", maxOutOfOrderness: 0, sourceField: "src", sources: { s1: { maxOutOfOrderness: 10 } } } });
      const { rows } = run(p, [
        [
          { src: "s1", k: "a", ts: 30 },
          { src: "s2", k: "b", ts: 8 },
          { src: "s2", k: "b", ts: 18 },
        ],
      ]);
      expect(rows.filter((x) => x.emitted_at !== "eoi")).toEqual([{ k: "b", window_start: 0, window_end: 10, n: 1, emitted_at: 2 }]);
    });

    it("stops waiting for an input idle for idleTimeout of processing time", () => {
      let now = 0;
      const p = plan({ time: { field: "ts", sourceField: "src", sources: { s1: {}, s2: {} }, idleTimeout: 100 } });
      const rows: ResultRow[] = [];
      const op = new WindowOperator(p, { row: (row) => rows.push(row), late: () => {} }, { clock: () => now, kernel });
      const exec = createExecutor(op);
      const batch = op.newBatch();
      const push = (rec: unknown) => {
        op.decode(batch, rec, rec);
        exec.push(batch);
        batch.clear();
      };
      push({ src: "s1", k: "a", ts: 5 });
      push({ src: "s1", k: "a", ts: 25 });
      expect(rows).toEqual([]); // s2 has sent nothing and is not idle yet
      now = 99;
      exec.tick();
      expect(rows).toEqual([]);
      now = 100;
      exec.tick(); // s2 idle: W = s1's 24
      expect(rows).toEqual([{ k: "a", window_start: 0, window_end: 10, n: 1 }]);
      expect(op.watermark).toBe(24);
      push({ src: "s1", k: "a", ts: 40 }); // s1 sends: active; s2 still idle → W = 39
      expect(op.watermark).toBe(39);
      push({ src: "s2", k: "b", ts: 30 }); // s2 active again: min(39, 29), but W never goes back
      expect(op.watermark).toBe(39);
    });

    it("advances with processing time once every input is idle, so a stopped stream's windows close", () => {
      let now = 1000;
      const p = plan({ time: { field: "ts", maxOutOfOrderness: 5, idleTimeout: 100 } });
      const rows: ResultRow[] = [];
      const op = new WindowOperator(p, { row: (row) => rows.push(row), late: () => {} }, { clock: () => now, kernel });
      const exec = createExecutor(op);
      const batch = op.newBatch();
      for (const ts of [3, 12, 15]) op.decode(batch, { k: "a", ts }, null);
      exec.push(batch);
      expect(op.watermark).toBe(9); // 15 - 5 - 1
      expect(rows).toEqual([{ k: "a", window_start: 0, window_end: 10, n: 1 }]);
      now = 1099;
      exec.tick();
      expect(op.watermark).toBe(9); // not idle yet
      now = 1109;
      exec.tick();
      expect(op.watermark).toBe(18); // idle since 1100: 9 + 9 ms
      expect(rows.length).toBe(1);
      now = 1110;
      exec.tick();
      expect(op.watermark).toBe(19); // reaches the end of [10, 20): it fires
      expect(rows).toEqual([
        { k: "a", window_start: 0, window_end: 10, n: 1 },
        { k: "a", window_start: 10, window_end: 20, n: 2 },
      ]);
    });

    it("compat spark: starts at 0 and drops windows that end at or before the epoch", () => {
      const p = plan({ compat: "spark", endOfInput: "flush" });
      const { rows, late } = run(p, [[r("a", -5), r("a", 5)]]);
      expect(late).toEqual([r("a", -5)]);
      expect(bare(rows)).toEqual([{ k: "a", window_start: 0, window_end: 10, n: 1 }]);
    });
  });
});
