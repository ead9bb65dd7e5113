import { describe, expect, it } from "vitest";
import { createExecutor, resolveSpec, WindowOperator, type KernelKind, type ResultRow } from "../../src/index.js";

const KEYS = 1_000_000;

/**
 * Three tumbling windows, each holding every key once: every key first in
 * [20, 30), then in [10, 20), then in [0, 10), out of order but within the
 * bound. A key's entries in its two newest slices are found without a
 * table, so the oldest slice's table is the one that must grow to hold
 * every key.
 */
function runKernel(kernel: KernelKind) {
  const plan = resolveSpec(
    {
      name: "growth",
      time: { field: "ts", maxOutOfOrderness: 30 },
      key: "k",
      window: { tumbling: 10 },
      aggregate: { n: "count()", s: "sum(v)", lo: "min(v)", hi: "max(v)" },
    },
    { mode: "continuous" },
  );
  const rows: ResultRow[] = [];
  const op = new WindowOperator(plan, { row: (row) => rows.push(row), late: () => {} }, { kernel });
  const exec = createExecutor(op);
  const batch = op.newBatch(65536);
  const before = op.kernel.stats();
  let peak = before;
  for (let i = 0; i < 3 * KEYS; i++) {
    // keys 0..999,999 at ts 20..29, then again at ts 10..19, then at ts 0..9
    const rec = { k: i % KEYS, ts: 10 * (2 - Math.floor(i / KEYS)) + (i % 10), v: (i * 7919) % 1000 };
    op.decode(batch, rec, rec);
    if (batch.length === 65536) {
      exec.push(batch);
      batch.clear();
      const s = op.kernel.stats();
      if (s.stateBytes > peak.stateBytes) peak = s;
    }
  }
  exec.push(batch);
  exec.end();
  return { rows, before, peak, after: op.kernel.stats() };
}

describe("the WASM kernel's state", () => {
  it("grows by rehash and memory growth to a million keys, and still equals the reference kernel", () => {
    const wasm = runKernel("wasm");
    // a slice table of 16 slots doubled to hold 1M keys at 3/4 load: 2^21 slots, 17 rehashes
    expect(wasm.before.tableSlots).toBeLessThan(1024);
    expect(wasm.peak.tableSlots).toBeGreaterThanOrEqual(1 << 21);
    expect(wasm.peak.memoryBytes!).toBeGreaterThan(16 * wasm.before.memoryBytes!);
    expect(wasm.peak.openWindows).toBeGreaterThan(0.9 * KEYS); // sampled per chunk
    expect(wasm.after.openWindows).toBe(0);
    expect(wasm.rows.length).toBe(3 * KEYS);

    const ts = runKernel("ts");
    expect(ts.rows.length).toBe(wasm.rows.length);
    for (let i = 0; i < ts.rows.length; i++) {
      if (JSON.stringify(wasm.rows[i]) !== JSON.stringify(ts.rows[i])) expect([i, wasm.rows[i]]).toEqual([i, ts.rows[i]]);
    }
  }, 120_000);

  it("builds a slice's table only for a record older than its key's two newest slices, and sizes it once", () => {
    const plan = resolveSpec(
      {
        name: "tables",
        time: { field: "ts", maxOutOfOrderness: 100 },
        key: "k",
        window: { tumbling: 10 },
        aggregate: { n: "count()", s: "sum(v)", lo: "min(v)", hi: "max(v)", a: "avg(v)" },
      },
      { mode: "micro-batch" },
    );
    const op = new WindowOperator(plan, { row: () => {}, late: () => {} }, { kernel: "wasm" });
    const exec = createExecutor(op);
    const keys = 10_000;
    const push = (ts: number) => {
      const batch = op.newBatch(keys);
      for (let k = 0; k < keys; k++) op.decode(batch, { k, ts, v: k % 97 }, null);
      exec.push(batch);
      return op.kernel.stats();
    };
    // every key in window [0, 10): entries that are their key's newest need no table
    const one = push(5);
    expect(one.openWindows).toBe(keys);
    expect(one.tableSlots).toBe(0);
    // a count, one numeric column (n, sum, min, max) and a 12-byte header, per-key arrays, no stamps
    expect(one.stateBytes / one.openWindows).toBeLessThanOrEqual(64);
    // every key moves on to [10, 20), then to [20, 30): still no table
    const two = push(15);
    expect(two.openWindows).toBe(2 * keys);
    expect(two.tableSlots).toBe(0);
    const three = push(25);
    expect(three.openWindows).toBe(3 * keys);
    expect(three.tableSlots).toBe(0);
    // records for [0, 10), older than every key's two newest slices: that slice's table holds them all, sized once
    const late = push(3);
    expect(late.openWindows).toBe(3 * keys);
    expect(late.tableSlots).toBeGreaterThanOrEqual((keys * 4) / 3);
    expect(late.tableSlots).toBeLessThan(4 * keys);
    exec.end();
  });
});
