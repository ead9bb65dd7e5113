/**
 * Runs every contender on every case over one data set, checks that they
 * agree, and returns the measurements. No files are read or written here,
 * so the test suite can run it on a small data set.
 */
import { WeirError } from "../../src/index.js";
import { silentLog, type Log } from "../lib/log.js";
import { si } from "../lib/report.js";
import type { CaseName, KernelCase } from "./cases.js";
import { disagreements, type Outcome } from "./check.js";
import type { Contender, SetUpInfo } from "./contender.js";
import type { KernelData } from "./data.js";
import type { Totals } from "./totals.js";

/** One contender on one case: what `bench/results/kernel.json` keeps. */
export interface CaseResult {
  case: CaseName;
  impl: string;
  /** `"ok"`, or `"unavailable: <reason>"` when the contender threw (the others still run). */
  status: string;
  recordsPerSec: number | null;
  /** Kernel state bytes per open window (weir contenders); null where not measured. */
  bytesPerWindow: number | null;
  seconds: number | null;
  rows: number | null;
}

export interface KernelMeasurements {
  results: CaseResult[];
  /** Per contender, what its untimed set-up reported (DuckDB: version, load time). */
  setUps: Record<string, SetUpInfo & { status: string }>;
  /** Per case and contender, the totals the agreement check compared. */
  totals: Record<string, Record<string, Totals>>;
}

function reason(e: unknown): string {
  if (e instanceof WeirError) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

/** @throws WeirError `BENCH_MISMATCH` as soon as a case's contenders disagree. */
export async function measureKernel(
  data: KernelData,
  contenders: readonly Contender[],
  cases: readonly KernelCase[],
  log: Log = silentLog,
): Promise<KernelMeasurements> {
  const m: KernelMeasurements = { results: [], setUps: {}, totals: {} };
  try {
    for (const c of contenders) {
      if (!c.setUp) continue;
      try {
        m.setUps[c.name] = { status: "ok", ...(await c.setUp(data, log)) };
      } catch (e) {
        m.setUps[c.name] = { status: `unavailable: ${reason(e)}` };
        log(`${c.name}: unavailable: ${reason(e)}`);
      }
    }
    for (const kc of cases) {
      const outcomes: Outcome[] = [];
      m.totals[kc.name] = {};
      for (const c of contenders) {
        const r = await measureOne(kc, c, data, m.setUps[c.name]?.status ?? "ok", log);
        m.results.push(r.result);
        if (r.totals) {
          outcomes.push({ impl: c.name, totals: r.totals });
          m.totals[kc.name]![c.name] = r.totals;
        }
      }
      const problems = disagreements(kc, outcomes);
      if (problems.length > 0) throw new WeirError("BENCH_MISMATCH", `contenders disagree:\n  ${problems.join("\n  ")}`);
      if (outcomes.length > 1) log(`${kc.name}: ${outcomes.map((o) => o.impl).join(", ")} agree`);
    }
  } finally {
    for (const c of contenders) await c.tearDown?.();
  }
  return m;
}

async function measureOne(
  kc: KernelCase,
  c: Contender,
  data: KernelData,
  setUpStatus: string,
  log: Log,
): Promise<{ result: CaseResult; totals?: Totals }> {
  const base = { case: kc.name, impl: c.name, recordsPerSec: null, bytesPerWindow: null, seconds: null, rows: null };
  if (setUpStatus !== "ok") return { result: { ...base, status: setUpStatus } };
  try {
    const { seconds, totals, bytesPerWindow } = await c.run(kc, data, log);
    const recordsPerSec = data.length / seconds;
    log(`${kc.name} · ${c.name}: ${si(recordsPerSec)} records/s (${seconds.toFixed(2)} s, ${totals.rows.toLocaleString("en-US")} rows)`);
    return { result: { ...base, status: "ok", recordsPerSec, bytesPerWindow, seconds, rows: totals.rows }, totals };
  } catch (e) {
    log(`${kc.name} · ${c.name}: unavailable: ${reason(e)}`);
    return { result: { ...base, status: `unavailable: ${reason(e)}` } };
  }
}
