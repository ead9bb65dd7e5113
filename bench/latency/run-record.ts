/** One run of the latency benchmark as `bench/results/latency.json` keeps it (in `runs`, newest last). */
import type { Machine } from "../lib/machine.js";
import type { LatencySummary } from "./histogram.js";
import type { LatencyMode, LatencyPlan, ModeMeasurement, WindowCheck } from "./measure.js";
import type { StoppedCounters } from "./proc.js";
import { MAX_OWED_MS, WINDOW_MS } from "./publisher.js";

/** The target the section reports on: continuous mode, p99 at this rate. */
export const TARGET = { mode: "continuous" as LatencyMode, rate: 10_000, p99Ms: 5 };

export interface LatencyResult {
  mode: LatencyMode;
  /** Target rate, messages (= records) per second. */
  rate: number;
  seconds: number;
  published: number;
  /** Published messages / seconds not paused (micro-batch: a pause's time is the messages it owed / rate). */
  achievedRate: number;
  /** Messages skipped because the publisher fell behind. */
  skipped: number;
  /** Micro-batch: ms paused at whole seconds (no messages), see publisher.ts. */
  pausedMs: number;
  /** Windows measured, and rows measured (the samples). */
  windows: number;
  rows: number;
  /** Per row (ms). */
  latency: LatencySummary;
  /** Per window, its last row (ms). */
  windowLast: LatencySummary;
  check: WindowCheck;
  /** CPU seconds per second (1 = one core) of weir edge and of the benchmark process (publisher + row subscriber). */
  weirCpu: number | null;
  benchCpu: number;
  /** The histogram as [percentile, ms] pairs (see LADDER). */
  ladder: [number, number][];
}

export interface LatencyModeRecord {
  mode: LatencyMode;
  startupSeconds: number;
  stopped: StoppedCounters;
  publishedRecords: number;
  unexpectedRows: number;
  earlyRows: number;
  dropWarnings: number;
  /** The warm-up phase's check (not measured). */
  warmupCheck: WindowCheck;
}

export interface LatencyRun {
  machine: Machine;
  quick: boolean;
  conditions: {
    keys: number;
    windowMs: number;
    maxOutOfOrdernessMs: number;
    triggerMs: number;
    warmup: { rate: number; seconds: number };
    seconds: number;
    rates: number[];
    maxOwedMs: number;
  };
  versions: { natsServer: string; natsJs: string; msgpackr: string };
  modes: LatencyModeRecord[];
  results: LatencyResult[];
  target: { mode: LatencyMode; rate: number; p99Ms: number; measuredP99Ms: number | null; met: boolean | null };
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

export function latencyRun(machine: Machine, quick: boolean, plan: LatencyPlan, versions: LatencyRun["versions"], modes: ModeMeasurement[]): LatencyRun {
  const results: LatencyResult[] = [];
  for (const m of modes) {
    for (const p of m.phases) {
      if (!p.phase.measured) continue;
      const s = p.published.seconds;
      // micro-batch: leave out the time of the pauses, counted by the messages they owed
      const active = s - p.published.pausedMessages / p.phase.rate;
      results.push({
        mode: m.mode,
        rate: p.phase.rate,
        seconds: s,
        published: p.published.messages,
        achievedRate: Math.round(p.published.messages / active),
        skipped: p.published.skipped,
        pausedMs: p.published.pausedMs,
        windows: p.windows,
        rows: p.rows.count,
        latency: p.rows.summary(),
        windowLast: p.windowLast,
        check: p.check,
        weirCpu: p.published.weirCpuSeconds === null ? null : round(p.published.weirCpuSeconds / s, 3),
        benchCpu: round(p.published.benchCpuSeconds / s, 3),
        ladder: p.rows.ladder(),
      });
    }
  }
  const t = results.find((r) => r.mode === TARGET.mode && r.rate === TARGET.rate);
  const measuredP99Ms = t && t.rows > 0 ? t.latency.p99Ms : null;
  return {
    machine,
    quick,
    conditions: {
      keys: plan.keys,
      windowMs: WINDOW_MS,
      maxOutOfOrdernessMs: 0,
      triggerMs: plan.triggerMs,
      warmup: { rate: plan.warmup.rate, seconds: plan.warmup.seconds },
      seconds: plan.seconds,
      rates: [...plan.rates],
      maxOwedMs: MAX_OWED_MS,
    },
    versions,
    modes: modes.map((m) => ({
      mode: m.mode,
      startupSeconds: round(m.startupSeconds, 3),
      stopped: m.stopped,
      publishedRecords: m.publishedRecords,
      unexpectedRows: m.unexpectedRows,
      earlyRows: m.earlyRows,
      dropWarnings: m.dropWarnings,
      warmupCheck: m.phases.find((p) => !p.phase.measured)!.check,
    })),
    results,
    target: { ...TARGET, measuredP99Ms, met: measuredP99Ms === null ? null : measuredP99Ms < TARGET.p99Ms },
  };
}
