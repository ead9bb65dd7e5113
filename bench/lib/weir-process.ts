/** A `weir edge` child process for the benchmarks, and what they read from it: its start, its final counters, its memory. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { raceChild, spawnChild, type Child } from "../edge/child.js";
import { repoRoot } from "./paths.js";

/** Counters of weir edge's "pipeline stopped" log line. */
export interface StoppedCounters {
  recordsIn: number;
  rowsOut: number;
  late: number;
  deadLettered: number;
}

export function stoppedCounters(line: string): StoppedCounters | null {
  try {
    const o = JSON.parse(line) as Partial<StoppedCounters>;
    const num = (x: unknown) => (typeof x === "number" ? x : NaN);
    return { recordsIn: num(o.recordsIn), rowsOut: num(o.rowsOut), late: num(o.late), deadLettered: num(o.deadLettered) };
  } catch {
    return null;
  }
}

/** The process's peak resident memory in MiB (Linux), null where /proc cannot tell. */
export function peakRss(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** `weir edge` with one spec, as the ingest and edge benchmarks run it. */
export interface WeirEdgeProcess {
  readonly child: Child;
  /** performance.now() at the spawn. */
  readonly spawnedAt: number;
  /** performance.now() at its "pipeline running" line; null before. */
  readonly runningAt: number | null;
  /** Counters of its "pipeline stopped" line; null before (or when the line does not parse). */
  readonly stopped: StoppedCounters | null;
  /** Resolves with runningAt at that line; throws BENCH_CHILD when the process exits first or `limitMs` pass. */
  untilRunning(limitMs: number): Promise<number>;
}

/**
 * Spawns `node bin/weir.js edge <specFile> --nats <url> --name bench`, killed
 * after `timeoutMs` whatever happens; `onLine` sees its other output lines.
 */
export function spawnWeirEdge(specFile: string, url: string, o: { timeoutMs: number; onLine?: (line: string) => void }): WeirEdgeProcess {
  let onRunning: (at: number) => void = () => {};
  const running = new Promise<number>((r) => (onRunning = r));
  let runningAt: number | null = null;
  let stopped: StoppedCounters | null = null;
  const spawnedAt = performance.now();
  const child = spawnChild(process.execPath, [join(repoRoot(), "bin", "weir.js"), "edge", specFile, "--nats", url, "--name", "bench"], {
    cwd: repoRoot(),
    timeoutMs: o.timeoutMs,
    onLine: (line) => {
      if (runningAt === null && line.includes('"msg":"pipeline running"')) {
        runningAt = performance.now();
        onRunning(runningAt);
      } else if (line.includes('"msg":"pipeline stopped"')) stopped = stoppedCounters(line);
      else o.onLine?.(line);
    },
  });
  return {
    child,
    spawnedAt,
    get runningAt() {
      return runningAt;
    },
    get stopped() {
      return stopped;
    },
    untilRunning: (limitMs) => raceChild(child, running, limitMs, 'weir edge did not reach "pipeline running"'),
  };
}
