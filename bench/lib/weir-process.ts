/** What benchmarks read from a `weir edge` child process: its final counters and its memory. */
import { readFileSync } from "node:fs";

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
