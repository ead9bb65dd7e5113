/**
 * Runs every contender on every case over one data set, checks that they
 * agree, and returns the measurements. No files are read or written here,
 * so the test suite can run it on a small data set.
 */
import { WeirError } from "../../src/index.js";
import { collectGarbage } from "../lib/gc.js";
import { silentLog, type Log } from "../lib/log.js";
import { si } from "../lib/report.js";
import { median } from "../lib/stats.js";
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
  /** The median over the contender's runs of this case (see {@link KernelRounds}). */
  recordsPerSec: number | null;
  /** Kernel state bytes per open window (weir contenders, first run); null where not measured. */
  bytesPerWindow: number | null;
  /** The median of `runSeconds`. */
  seconds: number | null;
  rows: number | null;
  /** Timed seconds of each run, in order (empty when unavailable). */
  runSeconds: number[];
}

/**
 * Repeats: after every contender has run every case once, the contenders
 * whose first run of a case took less than `repeatUnder` seconds run it
 * again, taking turns, case after case, until each has run `rounds` times.
 * Figures are medians over the runs, so a slow spell of a shared machine
 * weighs on every contender (and on both cases of a ratio) instead of on
 * one; a run that long varies little by itself.
 */
export interface KernelRounds {
  rounds: number;
  repeatUnder: number;
}

export const ONE_ROUND: KernelRounds = { rounds: 1, repeatUnder: 0 };

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

/** @throws WeirError `BENCH_MISMATCH` as soon as a case's contenders disagree, or a repeat disagrees with the first run. */
export async function measureKernel(
  data: KernelData,
  contenders: readonly Contender[],
  cases: readonly KernelCase[],
  log: Log = silentLog,
  rounds: KernelRounds = ONE_ROUND,
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
    for (let round = 1; round < rounds.rounds; round++) {
      for (const kc of cases) {
        for (const c of contenders) {
          const first = m.results.find((r) => r.case === kc.name && r.impl === c.name)!;
          // (a repeat that failed stops the contender's repeats of the case, so that its run i stays round i)
          if (first.status !== "ok" || first.runSeconds[0]! >= rounds.repeatUnder || first.runSeconds.length < round) continue;
          let seconds: number;
          let totals: Totals;
          try {
            collectGarbage();
            ({ seconds, totals } = await c.run(kc, data, log));
          } catch (e) {
            log(`${kc.name} · ${c.name}, run ${round + 1}: failed (${reason(e)}); its first ${round} run(s) stand`);
            continue;
          }
          const problems = disagreements(kc, [{ impl: `${c.name} (first run)`, totals: m.totals[kc.name]![c.name]! }, { impl: `${c.name} (run ${round + 1})`, totals }]);
          if (problems.length > 0) throw new WeirError("BENCH_MISMATCH", `a repeat disagrees:\n  ${problems.join("\n  ")}`);
          first.runSeconds.push(seconds);
          first.seconds = median(first.runSeconds);
          first.recordsPerSec = data.length / first.seconds;
          log(`${kc.name} · ${c.name}, run ${round + 1}: ${si(data.length / seconds)} records/s (${seconds.toFixed(2)} s); median ${si(first.recordsPerSec)}`);
        }
      }
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
  const base = { case: kc.name, impl: c.name, recordsPerSec: null, bytesPerWindow: null, seconds: null, rows: null, runSeconds: [] };
  if (setUpStatus !== "ok") return { result: { ...base, status: setUpStatus } };
  try {
    collectGarbage();
    const { seconds, totals, bytesPerWindow } = await c.run(kc, data, log);
    const recordsPerSec = data.length / seconds;
    log(`${kc.name} · ${c.name}: ${si(recordsPerSec)} records/s (${seconds.toFixed(2)} s, ${totals.rows.toLocaleString("en-US")} rows)`);
    return { result: { ...base, status: "ok", recordsPerSec, bytesPerWindow, seconds, rows: totals.rows, runSeconds: [seconds] }, totals };
  } catch (e) {
    log(`${kc.name} · ${c.name}: unavailable: ${reason(e)}`);
    return { result: { ...base, status: `unavailable: ${reason(e)}` } };
  }
}
