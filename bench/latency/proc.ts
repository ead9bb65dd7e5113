/** Small helpers of the latency and start-up benchmarks: /proc readings, package versions, sleeping. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../lib/paths.js";

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on every Linux build in use). */
const USER_HZ = 100;

/** CPU seconds (user + system) a process has used so far, null where /proc cannot tell. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // fields after the command name, which is in parentheses and may hold spaces
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return null;
  }
}

/** A field of /proc/<pid>/status in MiB (VmRSS, VmHWM, RssAnon, RssFile), null where /proc cannot tell. */
export function statusMiB(pid: number, field: "VmRSS" | "VmHWM" | "RssAnon" | "RssFile"): number | null {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** The installed version of a dependency, "unknown" when it cannot be read. */
export function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(repoRoot(), "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export { stoppedCounters, type StoppedCounters } from "../lib/weir-process.js";
