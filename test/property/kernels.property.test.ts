import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createExecutor, resolveSpec, WindowOperator, type EmitMode, type KernelKind, type Mode, type ResultRow } from "../../src/index.js";
import { expectRowsClose } from "../helpers/rows.js";
import { anyWindowArb, everyAggregate, recordsArb, splitArb, splitAt, type Rec } from "../helpers/arbitraries.js";

const AGGS = everyAggregate("s");
/** Counts, sums, minima and maxima only: the kernel's plain accumulators (merged by offset lists). */
const PLAIN_AGGS = { n: "count()", nv: "count(v)", s: "sum(v)", lo: "min(v)", hi: "max(v)", m: "avg(v)" };
/** Plain accumulators of a single numeric column (no count(v)): count, n, sum, min and max at fixed offsets. */
const SUMMARY_AGGS = { n: "count()", s: "sum(v)", lo: "min(v)", hi: "max(v)", m: "avg(v)" };
/** A single numeric column without every part (no max): added and merged through offsets held in globals. */
const PARTIAL_AGGS = { s: "sum(v)", lo: "min(v)", m: "avg(v)", n: "count()" };

interface Trace {
  rows: (ResultRow & { at: number | string })[];
  late: unknown[];
  openWindows: number[];
}

/** Runs the plan with one kernel, recording rows, late records and open windows after every batch. */
function trace(spec: object, mode: Mode, kernel: KernelKind, batches: Rec[][], chunk: number): Trace {
  const plan = resolveSpec(spec, { mode });
  const t: Trace = { rows: [], late: [], openWindows: [] };
  const op = new WindowOperator(plan, { row: (row, at) => t.rows.push({ ...row, at }), late: (raw) => t.late.push(raw) }, { kernel });
  const exec = createExecutor(op);
  const batch = op.newBatch(64);
  for (const records of batches) {
    for (const rec of records) {
      op.decode(batch, rec, rec);
      if (batch.length === chunk) {
        exec.push(batch);
        batch.clear();
      }
    }
    exec.push(batch);
    batch.clear();
    exec.endBatch();
    t.openWindows.push(op.kernel.stats().openWindows);
  }
  exec.end();
  return t;
}

/** A random spec over AGGS, PLAIN_AGGS, SUMMARY_AGGS or PARTIAL_AGGS (any window, delay, lateness, emit mode), a mode, records and batch cuts. */
const scenarioArb = fc
  .record({
    window: anyWindowArb,
    d: fc.integer({ min: 0, max: 20 }),
    L: fc.integer({ min: 0, max: 20 }),
    emit: fc.constantFrom<EmitMode>("final", "update", "complete"),
    mode: fc.constantFrom<Mode>("continuous", "micro-batch"),
    recs: recordsArb,
    cuts: splitArb(),
    plain: fc.constantFrom(0, 1, 2, 3), // AGGS, PLAIN_AGGS, SUMMARY_AGGS, PARTIAL_AGGS
    // many keys, each in few windows: the kernel's sparse visit (gather and sort) rather than its dense one
    manyKeys: fc.boolean(),
  })
  .map(({ window, d, L, emit, mode, recs: drawn, cuts, plain, manyKeys }) => {
    const recs = manyKeys ? drawn.map((r, i) => ({ ...r, k: `${r.k}${i % 16}` })) : drawn;
    if ("session" in window || "count" in window) emit = "final";
    if (emit === "complete") mode = "micro-batch";
    const spec = { name: "k", time: { field: "ts", maxOutOfOrderness: d }, key: "k", window, allowedLateness: L, emit, aggregate: [AGGS, PLAIN_AGGS, SUMMARY_AGGS, PARTIAL_AGGS][plain]! };
    return { spec, mode, recs, cuts };
  });

/** Sums and averages may differ in the last bits where slices are combined in another order. */
function expectSameRows(wasm: Trace["rows"], ts: Trace["rows"]): void {
  expectRowsClose(wasm, ts, (name) => name === "s" || name === "m" || name === "sd" || name === "vp");
}

describe("the WASM kernel", () => {
  it("gives the reference kernel's rows, late records and open windows on random streams", () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.integer({ min: 1, max: 40 }),
        ({ spec, mode, recs, cuts }, chunk) => {
          const batches = mode === "continuous" ? [recs] : splitAt(recs, cuts);
          const ts = trace(spec, mode, "ts", batches, chunk);
          const wasm = trace(spec, mode, "wasm", batches, chunk);
          expectSameRows(wasm.rows, ts.rows);
          expect(wasm.late).toEqual(ts.late);
          if (!("count" in spec.window)) expect(wasm.openWindows).toEqual(ts.openWindows);
        },
      ),
      { seed: 31, numRuns: 400 },
    );
  });
});

describe("the WASM kernel's HyperLogLog", () => {
  it("matches the reference whether sketches stay sparse, turn dense, or merge across forms", () => {
    const denseRecords = fc.array(
      fc.record({ k: fc.constantFrom("a", "b"), ts: fc.integer({ min: 0, max: 30 }), u: fc.integer({ min: 0, max: 3000 }) }),
      { minLength: 1, maxLength: 300, size: "max" },
    );
    const windows = fc.constantFrom<object>({ tumbling: 10 }, { sliding: { size: 20, slide: 5 } }, { session: { gap: 3 } });
    fc.assert(
      fc.property(windows, denseRecords, fc.constantFrom<Mode>("continuous", "micro-batch"), (window, recs, mode) => {
        const spec = { name: "h", time: { field: "ts", maxOutOfOrderness: 40 }, key: "k", window, aggregate: { a: "approx_count_distinct(u)", b: "approx_count_distinct(u, 0.01)" } };
        const ts = trace(spec, mode, "ts", [recs as unknown as Rec[]], 50);
        const wasm = trace(spec, mode, "wasm", [recs as unknown as Rec[]], 50);
        expect(wasm.rows).toEqual(ts.rows);
      }),
      { seed: 32, numRuns: 60 },
    );
  });
});

/** Runs batches[0..cut) on one kernel, checkpoints, restores into the other kernel and runs the rest. */
function traceWithRestore(spec: object, mode: Mode, first: KernelKind, second: KernelKind, batches: Rec[][], cut: number): Trace {
  const plan = resolveSpec(spec, { mode });
  const t: Trace = { rows: [], late: [], openWindows: [] };
  const sink = { row: (row: ResultRow, at: number | string) => t.rows.push({ ...row, at }), late: (raw: unknown) => t.late.push(raw) };
  let op = new WindowOperator(plan, sink, { kernel: first });
  let exec = createExecutor(op);
  const feed = (records: Rec[]) => {
    const batch = op.newBatch(64);
    for (const rec of records) op.decode(batch, rec, rec);
    exec.push(batch);
    exec.endBatch();
  };
  batches.slice(0, cut).forEach(feed);
  const bytes = op.checkpoint();
  op = new WindowOperator(plan, sink, { kernel: second });
  op.restore(bytes);
  exec = createExecutor(op);
  batches.slice(cut).forEach(feed);
  exec.end();
  return t;
}

describe("checkpoints", () => {
  it("written by either kernel restore in the other, and the run goes on as if never stopped", () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.constantFrom<[KernelKind, KernelKind]>(["wasm", "ts"], ["ts", "wasm"], ["wasm", "wasm"]),
        ({ spec, mode, recs, cuts }, [first, second]) => {
          const batches = splitAt(recs, cuts);
          const cut = Math.floor(batches.length / 2);
          const whole = trace(spec, mode, "ts", batches, 1000);
          const resumed = traceWithRestore(spec, mode, first, second, batches, cut);
          expectSameRows(resumed.rows, whole.rows);
          expect(resumed.late).toEqual(whole.late);
        },
      ),
      { seed: 33, numRuns: 300 },
    );
  });
});
