/** One run of the kernel benchmark as `bench/results/kernel.json` keeps it (in `runs`, newest last). */
import type { Machine } from "../lib/machine.js";
import type { KernelDataShape } from "./data.js";
import type { CaseResult, KernelMeasurements, KernelRounds } from "./measure.js";

export interface KernelRun {
  machine: Machine;
  /** `--quick`: a tenth of the records. */
  quick: boolean;
  data: KernelDataShape & { batchRecords: number };
  /** How often the quick contenders ran each case (figures are medians). */
  rounds: KernelRounds;
  /** Untimed set-up per contender that has one (DuckDB: version and table load). */
  setUps: Record<string, { status: string; version?: string; loadSeconds?: number; loadRecordsPerSec?: number }>;
  cases: CaseResult[];
}

const round = (x: number | null, digits: number) => (x === null ? null : Number(x.toFixed(digits)));

export function kernelRun(
  machine: Machine,
  quick: boolean,
  data: KernelRun["data"],
  rounds: KernelRounds,
  m: KernelMeasurements,
): KernelRun {
  const setUps: KernelRun["setUps"] = {};
  for (const [name, s] of Object.entries(m.setUps)) {
    setUps[name] = { ...s };
    if (s.loadSeconds !== undefined) {
      setUps[name]!.loadSeconds = round(s.loadSeconds, 3)!;
      setUps[name]!.loadRecordsPerSec = Math.round(data.records / s.loadSeconds);
    }
  }
  const cases = m.results.map((r) => ({
    ...r,
    recordsPerSec: r.recordsPerSec === null ? null : Math.round(r.recordsPerSec),
    bytesPerWindow: round(r.bytesPerWindow, 1),
    seconds: round(r.seconds, 3),
    runSeconds: r.runSeconds.map((x) => round(x, 3)!),
  }));
  return { machine, quick, data, rounds, setUps, cases };
}
