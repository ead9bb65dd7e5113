/**
 * The measurements of the memory benchmark: a plain idle process, then per
 * case one process (with the GC hook) taken through the levels of active
 * keys. Every child has a time limit and is stopped in a finally.
 */
import { WeirError } from "../../src/index.js";
import type { Log } from "../lib/log.js";
import { pipelineName, type MemoryCase } from "./cases.js";
import { sleep, startEdge, type ChildHeap, type EdgeProcess } from "./edge-process.js";
import { procMemory, wasmResident } from "./proc.js";
import type { CaseResult, IdleFigures, LevelResult } from "./run-record.js";

/** How long an idle process is left alone after /readyz before its RSS is read. */
const IDLE_PAUSE_MS = 1000;
/** Settling: forced full GC, a pause, a VmRSS reading; until two readings differ by at most the tolerance, or the rounds run out. */
export const SETTLE = { pauseMs: 500, toleranceBytes: 1 << 20, rounds: 8 };
/** Waiting for the pipeline to process what /ingest accepted. */
const PROCESS_LIMIT_MS = 120_000;
const POLL_MS = 100;

/** `weir edge` with the case's pipeline, nothing preloaded: VmRSS once it is ready. */
export async function measureIdle(c: MemoryCase, dir: string, log: Log): Promise<IdleFigures> {
  const p = await startEdge(c, { dir, gcHook: false, timeoutMs: 60_000 });
  try {
    await sleep(IDLE_PAUSE_MS);
    const m = procMemory(p.pid);
    log(`memory: idle ${pipelineName(c)} (plain process): VmRSS ${mib(m.rss)} MiB (anonymous ${mib(m.rssAnon)}, file-backed ${mib(m.rssFile)})`);
    return { rss: m.rss, rssAnon: m.rssAnon, rssFile: m.rssFile };
  } finally {
    await p.stop();
  }
}

interface Settled {
  rss: number;
  heap: ChildHeap;
  rounds: number;
}

/** Forced full GCs until VmRSS stops moving (see SETTLE). */
async function settle(p: EdgeProcess): Promise<Settled> {
  let prev = -1;
  let heap: ChildHeap | null = null;
  for (let round = 1; ; round++) {
    heap = await p.collect();
    await sleep(SETTLE.pauseMs);
    const rss = procMemory(p.pid).rss;
    if ((prev >= 0 && Math.abs(rss - prev) <= SETTLE.toleranceBytes) || round >= SETTLE.rounds) return { rss, heap, rounds: round };
    prev = rss;
  }
}

/** Polls /metrics until the pipeline has taken every record and its open windows stop changing; returns the last sample. */
async function processed(p: EdgeProcess, records: number): Promise<Map<string, number>> {
  const until = Date.now() + PROCESS_LIMIT_MS;
  let last = -1;
  for (;;) {
    const m = await p.metrics();
    const open = m.get("weir_open_windows") ?? -1;
    if ((m.get("weir_records_in_total") ?? 0) >= records && open === last) return m;
    last = open;
    if (Date.now() > until) throw new WeirError("BENCH_CHILD", `${p.pipeline}: records not processed after ${PROCESS_LIMIT_MS / 1000} s (${JSON.stringify(Object.fromEntries(m))})`);
    await sleep(POLL_MS);
  }
}

/** The case's pipeline in one process, through every level of keys (cumulative: each level adds the keys it lacks). */
export async function measureCase(c: MemoryCase, levels: readonly number[], batch: number, dir: string, log: Log): Promise<CaseResult> {
  const p = await startEdge(c, { dir, gcHook: true, timeoutMs: 10 * 60_000 });
  try {
    // per-key figures are growth over the idle row: it has to hold the HTTP API, which the first ingest would load
    await p.loadApi();
    await sleep(IDLE_PAUSE_MS);
    const idleAsFound = procMemory(p.pid).rss;
    const idle = await settle(p);
    const m0 = await p.metrics();
    const idleState = m0.get("weir_state_bytes") ?? NaN;
    const idleWasm = wasmResident(p.pid);
    log(`memory: ${p.pipeline}: idle VmRSS ${mib(idleAsFound)} MiB, ${mib(idle.rss)} MiB after GC; state ${Math.round(idleState)} B`);
    const results: LevelResult[] = [];
    let have = 0;
    for (const keys of levels) {
      const t0 = performance.now();
      await p.ingest(have, keys, batch);
      const ingestSeconds = (performance.now() - t0) / 1000;
      const records = keys - have;
      have = keys;
      await processed(p, keys);
      const asFound = procMemory(p.pid).rss;
      const s = await settle(p);
      const m = await p.metrics();
      const open = m.get("weir_open_windows") ?? NaN;
      const state = m.get("weir_state_bytes") ?? NaN;
      const recordsIn = m.get("weir_records_in_total") ?? NaN;
      const late = m.get("weir_late_records_total") ?? NaN;
      const dead = m.get("weir_dead_lettered_total") ?? NaN;
      if (open !== keys || recordsIn !== keys || late !== 0 || dead !== 0) {
        throw new WeirError(
          "BENCH_MISMATCH",
          `${p.pipeline} at ${keys} keys: expected ${keys} open windows and records in, no late or dead-lettered record; ` +
            `got weir_open_windows ${open}, weir_records_in_total ${recordsIn}, late ${late}, dead-lettered ${dead}`,
        );
      }
      const wasm = wasmResident(p.pid);
      const pm = procMemory(p.pid);
      const stateGrowth = state - idleState;
      const rssGrowth = s.rss - idle.rss;
      const jsHeapPerKey = (s.heap.heapUsed + s.heap.arrayBuffers - idle.heap.heapUsed - idle.heap.arrayBuffers) / keys;
      const wasmSlackPerKey = wasm === null || idleWasm === null ? null : (wasm - idleWasm - stateGrowth) / keys;
      const beyondStatePerKey = (rssGrowth - stateGrowth) / keys;
      const level: LevelResult = {
        keys,
        records,
        ingestSeconds,
        openWindows: open,
        stateBytes: state,
        bytesPerWindow: state / open,
        rssAsFound: asFound,
        rss: s.rss,
        peakRss: pm.peak,
        rssGrowthPerKey: rssGrowth / keys,
        beyondStatePerKey,
        wasmResident: wasm,
        wasmSlackPerKey,
        jsHeapPerKey,
        otherPerKey: wasmSlackPerKey === null ? null : beyondStatePerKey - jsHeapPerKey - wasmSlackPerKey,
        heapUsed: s.heap.heapUsed,
        heapTotal: s.heap.heapTotal,
        arrayBuffers: s.heap.arrayBuffers,
      };
      results.push(level);
      log(
        `memory: ${p.pipeline}: ${keys.toLocaleString("en-US")} keys (ingest ${ingestSeconds.toFixed(1)} s): ${level.bytesPerWindow.toFixed(1)} B/window, ` +
          `VmRSS ${mib(asFound)} MiB as found, ${mib(s.rss)} MiB after ${s.rounds} GC round(s), peak ${mib(pm.peak)} MiB`,
      );
    }
    return {
      case: c.name,
      title: c.title,
      pipeline: p.pipeline,
      idleAsFound,
      idleSettled: idle.rss,
      idleStateBytes: idleState,
      idleHeapUsed: idle.heap.heapUsed,
      idleArrayBuffers: idle.heap.arrayBuffers,
      levels: results,
    };
  } finally {
    await p.stop();
  }
}

export const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
