/**
 * Memory of a process as Linux reports it: `/proc/<pid>/status` (VmRSS and
 * its parts, VmHWM) and `/proc/<pid>/smaps` (the resident part of each
 * WebAssembly linear memory).
 */
import { readFileSync } from "node:fs";
import { WeirError } from "../../src/index.js";

export interface ProcMemory {
  /** Resident set (VmRSS), bytes. */
  rss: number;
  /** Its anonymous part (heaps, WASM memory) and its file-backed part (the node binary, shared libraries), bytes. */
  rssAnon: number;
  rssFile: number;
  /** Peak resident set so far (VmHWM), bytes. */
  peak: number;
}

function kib(status: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  if (!m) throw new WeirError("BENCH_PROC", `/proc status has no ${field} line`);
  return Number(m[1]) * 1024;
}

/** Reads /proc/<pid>/status. @throws WeirError where there is no such file (not Linux, or the process is gone). */
export function procMemory(pid: number): ProcMemory {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch (e) {
    throw new WeirError("BENCH_PROC", `cannot read /proc/${pid}/status: ${(e as Error).message}`);
  }
  return { rss: kib(status, "VmRSS"), rssAnon: kib(status, "RssAnon"), rssFile: kib(status, "RssFile"), peak: kib(status, "VmHWM") };
}

interface Mapping {
  start: bigint;
  end: bigint;
  perms: string;
  name: string;
  rss: number;
}

const GIB = 1n << 30n;

/**
 * Resident bytes of the process's WebAssembly linear memories, or null when
 * smaps cannot be read. V8 reserves each memory as one large region (several
 * GiB with its guard pages) and makes only the accessible part read-write: in
 * smaps, an anonymous `rw-p` mapping directly followed by a `---p` mapping of
 * at least 1 GiB. Their `Rss:` lines are summed.
 */
export function wasmResident(pid: number): number | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, "utf8");
  } catch {
    return null;
  }
  const maps: Mapping[] = [];
  for (const line of text.split("\n")) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      maps.push({ start: BigInt(`0x${head[1]}`), end: BigInt(`0x${head[2]}`), perms: head[3]!, name: head[4]!.trim(), rss: 0 });
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && maps.length > 0) maps[maps.length - 1]!.rss = Number(rss[1]) * 1024;
  }
  let total = 0;
  for (let i = 0; i + 1 < maps.length; i++) {
    const m = maps[i]!;
    const next = maps[i + 1]!;
    if (m.perms === "rw-p" && m.name === "" && next.perms === "---p" && next.start === m.end && next.end - next.start >= GIB) total += m.rss;
  }
  return total;
}
