import { describe, expect, it } from "vitest";
import { WeirError } from "../../src/index.js";
import { CASES } from "../../bench/kernel/cases.js";
import { disagreements } from "../../bench/kernel/check.js";
import type { Contender } from "../../bench/kernel/contender.js";
import { naiveJsContender, weirContender } from "../../bench/kernel/contenders/index.js";
import { FULL_SHAPE, generateData } from "../../bench/kernel/data.js";
import { measureKernel, type CaseResult } from "../../bench/kernel/measure.js";
import { median } from "../../bench/lib/stats.js";
import { kernelTargets, speedup } from "../../bench/kernel/report.js";
import type { KernelRun } from "../../bench/kernel/run-record.js";
import { newTotals, type Totals } from "../../bench/kernel/totals.js";

// 20 s of event time over 100 keys: several records per window, and five
// micro-batches so that windows fire at batch ends, not only at end of input.
const data = generateData({ ...FULL_SHAPE, records: 20_000, keys: 100 });
const BATCH = 4096;

describe("kernel benchmark", () => {
  // (weir-wasm takes its rows in bulk, straight from the kernel's output region)
  it("weir-ts, weir-wasm and naive-js agree on every case, with every record aggregated", async () => {
    const m = await measureKernel(data, [weirContender("ts", BATCH), weirContender("wasm", BATCH), naiveJsContender(BATCH)], CASES);
    expect(m.results.map((r) => r.status)).toEqual(CASES.flatMap(() => ["ok", "ok", "ok"]));
    for (const c of CASES) {
      for (const t of Object.values(m.totals[c.name]!)) {
        expect(t.late).toBe(0);
        expect(t.rows).toBeGreaterThan(0);
        if (!c.sketches) expect(t.count).toBe((data.length * c.size) / c.slide);
      }
    }
    expect(m.totals["tumbling-sketches"]!["naive-js"]!.exact).toBeDefined();
  });

  it("reports a contender that throws as unavailable and still runs the others", async () => {
    const broken: Contender = {
      name: "broken",
      method: "throws",
      run: async () => {
        throw new WeirError("KERNEL_UNAVAILABLE", "not here");
      },
    };
    const m = await measureKernel(data, [broken, naiveJsContender(BATCH)], CASES.slice(0, 1));
    expect(m.results.map((r) => [r.impl, r.status])).toEqual([
      ["broken", "unavailable: KERNEL_UNAVAILABLE: not here"],
      ["naive-js", "ok"],
    ]);
  });

  it("repeats the quick contenders, taking turns case after case, and reports medians", async () => {
    const calls: string[] = [];
    // seconds per call, in order: the quick one varies, the slow one is over the repeat limit
    const timed = (name: string, seconds: number[]): Contender => {
      let i = 0;
      return {
        name,
        method: "fixed",
        run: async (c) => {
          calls.push(`${c.name}:${name}`);
          const totals = newTotals();
          totals.rows = 1;
          return { seconds: seconds[i++ % seconds.length]!, totals, bytesPerWindow: null };
        },
      };
    };
    const two = CASES.slice(0, 2);
    const m = await measureKernel(data, [timed("quick", [1, 4, 2]), timed("slow", [20])], two, undefined, { rounds: 3, repeatUnder: 10 });
    expect(calls).toEqual(["tumbling:quick", "tumbling:slow", "sliding:quick", "sliding:slow", "tumbling:quick", "sliding:quick", "tumbling:quick", "sliding:quick"]);
    const quick = m.results.find((r) => r.case === "tumbling" && r.impl === "quick")!;
    expect(quick.runSeconds).toEqual([1, 2, 4]);
    expect(quick.seconds).toBe(2);
    const sliding = m.results.find((r) => r.case === "sliding" && r.impl === "quick")!;
    expect(sliding.runSeconds).toEqual([4, 1, 2]);
    expect(sliding.recordsPerSec).toBe(data.length / 2);
    expect(m.results.find((r) => r.impl === "slow")!.runSeconds).toEqual([20]);
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });

  it("keeps the runs before a repeat that fails, and repeats that contender no more", async () => {
    let calls = 0;
    const flaky: Contender = {
      name: "flaky",
      method: "fails on its second run",
      run: async () => {
        if (++calls === 2) throw new WeirError("KERNEL_UNAVAILABLE", "gone");
        const totals = newTotals();
        totals.rows = 1;
        return { seconds: calls, totals, bytesPerWindow: null };
      },
    };
    const m = await measureKernel(data, [flaky], CASES.slice(0, 1), undefined, { rounds: 3, repeatUnder: 10 });
    expect(calls).toBe(2);
    expect(m.results[0]!.runSeconds).toEqual([1]);
    expect(m.results[0]!.status).toBe("ok");
  });

  it("judges the targets from the run's ratios: tumbling against each contender, sliding's cost against tumbling", () => {
    const r = (c: string, impl: string, recordsPerSec: number | null): CaseResult => ({
      case: c as CaseResult["case"],
      impl,
      status: recordsPerSec === null ? "unavailable: gone" : "ok",
      recordsPerSec,
      bytesPerWindow: null,
      seconds: null,
      rows: null,
      runSeconds: recordsPerSec === null ? [] : [1],
    });
    const run = (duckdb: number | null) =>
      ({
        cases: [r("tumbling", "weir-wasm", 15e6), r("tumbling", "weir-ts", 10e6), r("tumbling", "naive-js", 1e6), r("tumbling", "duckdb", duckdb), r("sliding", "weir-wasm", 9e6)],
      }) as unknown as KernelRun;
    const judged = (duckdb: number | null) => kernelTargets(run(duckdb)).map((t) => [t.value === null ? null : Number(t.value.toFixed(3)), t.met]);
    expect(judged(8e6)).toEqual([[15, true], [1.5, true], [1.875, false], [1.667, false]]);
    expect(judged(7.5e6)[2]).toEqual([2, true]);
    expect(judged(null)[2]).toEqual([null, false]);
  });

  it("pairs runs of the same round for its ratios, so that a slow round cancels out", () => {
    const r = (impl: string, runSeconds: number[]): CaseResult => ({
      case: "tumbling",
      impl,
      status: "ok",
      recordsPerSec: data.length / median(runSeconds),
      bytesPerWindow: null,
      seconds: median(runSeconds),
      rows: 1,
      runSeconds,
    });
    // round 2 is slow for both: paired ratios 10, 10, 15; the medians' ratio would be 20 / 1.5
    expect(speedup(r("a", [1, 4, 1.5]), r("b", [10, 40, 22.5]))).toBe(10);
    expect(speedup(r("a", [1, 4, 1.5]), r("b", [20]))).toBeCloseTo(20 / 1.5, 12);
    expect(speedup(r("a", [1]), { ...r("b", [2]), status: "unavailable: gone" })).toBeNull();
  });

  it("finds contenders that disagree", () => {
    const t = (o: Partial<Totals>): Totals => ({ ...newTotals(), rows: 10, count: 100, sum: 1000, ...o });
    const [tumbling, , sketches] = CASES;
    expect(disagreements(tumbling!, [{ impl: "a", totals: t({}) }, { impl: "b", totals: t({ sum: 1000 * (1 + 1e-12) }) }])).toEqual([]);
    expect(disagreements(tumbling!, [{ impl: "a", totals: t({}) }, { impl: "b", totals: t({ rows: 11 }) }])).toHaveLength(1);
    expect(disagreements(tumbling!, [{ impl: "a", totals: t({}) }, { impl: "b", totals: t({ sum: 1000.001 }) }])).toHaveLength(1);
    const exact = t({ quantile: 50, distinct: 20, exact: { quantileLo: 50, quantileHi: 52, distinct: 20 } });
    expect(disagreements(sketches!, [{ impl: "naive", totals: exact }, { impl: "w", totals: t({ quantile: 51.5, distinct: 22 }) }])).toEqual([]);
    expect(disagreements(sketches!, [{ impl: "naive", totals: exact }, { impl: "w", totals: t({ quantile: 53, distinct: 20 }) }])).toHaveLength(1);
    expect(disagreements(sketches!, [{ impl: "naive", totals: exact }, { impl: "w", totals: t({ quantile: 50, distinct: 24 }) }])).toHaveLength(1);
  });
});
