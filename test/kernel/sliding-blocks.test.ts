import { describe, expect, it } from "vitest";
import { resolveSpec, runBatches, type KernelKind } from "../../src/index.js";

/**
 * The WASM kernel's dense visit of sliding windows keeps combined parts of
 * a block of slices between steps (assembly/blocks.ts). These runs change
 * what such parts were made from, and check the rows against the reference
 * kernel, which keeps one accumulator per window. Values are integers, so
 * the sums agree bit for bit whatever the order of additions.
 */
type Rec = { k: string; ts: number; v: number };

function rows(kernel: KernelKind, batches: Rec[][], allowedLateness = 0) {
  const plan = resolveSpec(
    {
      name: "blocks",
      time: { field: "ts", maxOutOfOrderness: 0 },
      key: "k",
      window: { sliding: { size: 30, slide: 10 } },
      allowedLateness,
      aggregate: { n: "count()", s: "sum(v)", lo: "min(v)", hi: "max(v)", m: "avg(v)" },
    },
    { mode: "micro-batch" },
  );
  return runBatches(plan, batches, { kernel }).rows;
}

/** Every key in `keys` at each time in [from, to). */
function records(keys: string[], from: number, to: number): Rec[] {
  const out: Rec[] = [];
  for (let ts = from; ts < to; ts++) for (const k of keys) out.push({ k, ts, v: (ts * 7 + k.charCodeAt(0)) % 23 });
  return out;
}

describe("sliding windows of plain aggregates (WASM dense visit)", () => {
  it("count a record that lands, behind the watermark, in a slice whose windows have partly fired", () => {
    // Batch 1 fires [0, 30) (made from slices [0, 10), [10, 20), [20, 30)); the record at 15 is
    // too late for it but not for [10, 40), which fires after batch 3.
    const batches = [records(["a", "b", "c", "d"], 0, 35), [{ k: "a", ts: 15, v: 1000 }], records(["a", "b", "c", "d"], 35, 46)];
    const wasm = rows("wasm", batches);
    expect(wasm).toEqual(rows("ts", batches));
    const w = wasm.find((r) => r.k === "a" && r.window_start === 10)!;
    expect(w.hi).toBe(1000);
  });

  it("count a late record within allowed lateness in the windows that fire after it", () => {
    const batches = [records(["a", "b", "c", "d"], 0, 35), [{ k: "b", ts: 5, v: -1000 }], records(["a", "b", "c", "d"], 35, 70)];
    const wasm = rows("wasm", batches, 20);
    expect(wasm).toEqual(rows("ts", batches, 20));
    expect(wasm.filter((r) => r.k === "b" && r.lo === -1000).length).toBeGreaterThan(1);
  });

  it("read the right key when a new key takes a rank before the others", () => {
    const batches = [records(["m", "n", "p"], 0, 35), [...records(["a", "m", "n", "p"], 35, 46)], records(["a", "m", "n", "p"], 46, 80)];
    const wasm = rows("wasm", batches);
    expect(wasm).toEqual(rows("ts", batches));
    expect(wasm.filter((r) => r.k === "a").length).toBeGreaterThan(0);
  });
});
