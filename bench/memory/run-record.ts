/** One run of the memory benchmark as `bench/results/memory.json` keeps it (in `runs`, newest last). */
import type { Machine } from "../lib/machine.js";
import type { MemoryCaseName } from "./cases.js";

/** A process right after start-up, before any record. Bytes. */
export interface IdleFigures {
  rss: number;
  rssAnon: number;
  rssFile: number;
}

/** One level of active keys in a case's process. Bytes unless named otherwise. */
export interface LevelResult {
  keys: number;
  /** The records of the keys new at this level: one each. */
  records: number;
  ingestSeconds: number;
  openWindows: number;
  stateBytes: number;
  /** stateBytes / openWindows. */
  bytesPerWindow: number;
  /** VmRSS once the records are processed, before any forced GC. */
  rssAsFound: number;
  /** VmRSS after forced full GCs, once it stopped moving (see settle in measure.ts). */
  rss: number;
  /** VmHWM: the process's peak so far. */
  peakRss: number;
  /** (rss − the process's own settled idle RSS) / keys. */
  rssGrowthPerKey: number;
  /** (RSS growth − state bytes growth) / keys: what a key costs outside the kernel's state (the key dictionary and the rest). */
  beyondStatePerKey: number;
  /** Resident bytes of WebAssembly linear memory (smaps), null when unreadable. */
  wasmResident: number | null;
  /** Growth of the WASM memory's resident bytes beyond the growth of state bytes, per key. */
  wasmSlackPerKey: number | null;
  /** Growth of the JS heap in use plus ArrayBuffers after a full GC, per key (the key dictionary lives here). */
  jsHeapPerKey: number;
  /** What is left of beyondStatePerKey after the JS heap and the WASM slack: V8 heap capacity kept committed, allocator arenas. */
  otherPerKey: number | null;
  /** process.memoryUsage() after the GC. */
  heapUsed: number;
  heapTotal: number;
  arrayBuffers: number;
}

export interface CaseResult {
  case: MemoryCaseName;
  title: string;
  pipeline: string;
  /** The same process before any record: as found at ready, and settled after forced GCs. */
  idleAsFound: number;
  idleSettled: number;
  idleStateBytes: number;
  idleHeapUsed: number;
  idleArrayBuffers: number;
  levels: LevelResult[];
}

export interface Target {
  what: string;
  /** Of `limit` and `value` when not bytes: idle RSS is judged in MB (10^6 bytes; runs before 2026-11-30 in MiB). */
  unit?: string;
  limit: number;
  value: number;
  met: boolean;
}

export interface MemoryRun {
  machine: Machine;
  quick: boolean;
  conditions: {
    levels: number[];
    batch: number;
    codec: "msgpack";
    windowMs: number;
    checkpointInterval: string;
    gcHook: string;
    msgpackr: string;
  };
  /** A plain `weir edge` process (no hook) with the scalar pipeline, read at ready. */
  idle: IdleFigures;
  cases: CaseResult[];
  targets: { idleRss: Target; bytesPerWindow: Target };
  seconds: number;
}
