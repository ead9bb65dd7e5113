/**
 * Tumbling and sliding windows in WASM (assembly/index.ts): each record
 * updates one (key, slice) entry; windows combine slices when they fire.
 * The host copies records in, calls one export per chunk of up to 64k
 * records, and reads fired rows and late indexes back.
 *
 * The kernel emits rows in the order of docs/semantics.md (record, window
 * end, key), sorting keys by the ranks the host keeps in its memory. In
 * micro-batch mode the host works out which
 * already-fired windows the batch changed (late firings, `emit: update`)
 * from the entries the kernel marks, and asks the kernel for those windows.
 */
import type { ColumnBatch } from "../../codec/column-batch.js";
import type { PipelinePlan, SlidingWindowPlan } from "../../plan/plan.js";
import { decodePartials, encodePartials } from "../../aggregate/partial-state.js";
import type { KernelContext, KernelOutput, KernelSnapshot, KernelStats, WindowKernel } from "../kernel.js";
import { loadColumns } from "./batch-loader.js";
import type { KernelInstance } from "./instance.js";
import { BATCH_CAPACITY, REQUEST_CAPACITY } from "./layout.js";
import { PartialCodec } from "./partials.js";
import { RowBuffer } from "./row-reader.js";

const MODE = { final: 0, update: 1, complete: 2 } as const;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function floorMod(a: number, b: number): number {
  const r = a % b;
  return r < 0 ? r + b : r;
}

export class WasmSlicingKernel implements WindowKernel {
  private readonly rows: RowBuffer;
  private indexOffset = 0;
  /** Watermark the current micro-batch is judged against. */
  private batchWm = -Infinity;
  private readonly g: number;
  private readonly k: number;
  private readonly w: number;
  private readonly window: SlidingWindowPlan;
  private readonly codec: PartialCodec;

  constructor(private readonly plan: PipelinePlan, private readonly ctx: KernelContext, private readonly inst: KernelInstance) {
    this.window = plan.window as SlidingWindowPlan;
    this.g = gcd(this.window.size, this.window.slide);
    this.k = this.window.slide / this.g;
    this.w = this.window.size / this.g;
    this.rows = new RowBuffer(inst);
    this.codec = new PartialCodec(inst, ctx.aggregators, ctx.layout);
    inst.onFlush = (n) => this.rows.take(n, this.indexOffset);
    inst.init(this.window, plan.allowedLateness, MODE[plan.emit]);
  }

  accumulate(b: ColumnBatch, from: number, to: number, wm: number, out: KernelOutput): number {
    this.batchWm = wm;
    let largest = -Infinity;
    for (let at = from; at < to; at += BATCH_CAPACITY) {
      const n = Math.min(BATCH_CAPACITY, to - at);
      this.load(b, at, n);
      largest = Math.max(largest, this.inst.x.accumulate(n, wm));
      this.drain(at, out);
    }
    return largest;
  }

  step(wm: number, out: KernelOutput): void {
    const x = this.inst.x;
    this.syncKeys();
    // (a step drops no records: its rows are all there is, so they may go out as the region fills)
    this.rows.direct = out.fireRows ? out : null;
    try {
      if (this.plan.emit !== "complete") this.requestChanged();
      x.step(wm, -1);
      this.drain(0, out);
    } finally {
      this.rows.direct = null;
    }
  }

  continuous(b: ColumnBatch, from: number, to: number, wm: Float64Array, out: KernelOutput): void {
    for (let at = from; at < to; at += BATCH_CAPACITY) {
      const n = Math.min(BATCH_CAPACITY, to - at);
      this.load(b, at, n);
      this.inst.mem().f64.set(wm.subarray(at - from, at - from + n + 1), this.inst.layout.regions.wm >> 3);
      this.indexOffset = at;
      this.inst.x.continuous(n);
      this.drain(at, out);
    }
  }

  snapshot(): KernelSnapshot {
    const windows: KernelSnapshot["windows"] = [];
    this.inst.onSnapshot = (key, start, end, acc) => windows.push({ key, start, end, state: encodePartials(this.codec.read(acc)) });
    this.syncKeys();
    this.inst.x.snapshotWindows();
    return { seq: this.inst.x.nextSeq(), windows, counts: [] };
  }

  restore(s: KernelSnapshot, wm: number): void {
    this.syncKeys();
    const n = this.ctx.aggregators.length;
    for (const r of s.windows) {
      const acc = this.inst.x.restoreWindow(r.key, (r.start - this.window.offset) / this.g);
      this.codec.write(acc, decodePartials(r.state, n));
    }
    this.inst.x.restoreEnd(wm, s.seq);
  }

  stats(): KernelStats {
    const x = this.inst.x;
    return { openWindows: x.openWindows(), stateBytes: x.stateBytes(), tableSlots: x.tableSlots(), memoryBytes: x.memoryBytes() };
  }

  private load(b: ColumnBatch, at: number, n: number): void {
    this.syncKeys();
    loadColumns(this.inst, b, at, n);
  }

  private ranksSent: Int32Array | null = null;
  private ranksAt = -1;

  /** Makes room for every key id, and gives the kernel the current key ranks (emission order). */
  private syncKeys(): void {
    const x = this.inst.x;
    x.reserve(this.ctx.keyCount());
    const ranks = this.ctx.keyRanks();
    const at = x.keyRanks();
    if (ranks !== this.ranksSent || at !== this.ranksAt) {
      this.inst.mem().i32.set(ranks, at >> 2);
      this.ranksSent = ranks;
      this.ranksAt = at;
    }
  }

  /** Hands rows (in emission order) and late indexes to the operator, then empties the regions. */
  private drain(at: number, out: KernelOutput): void {
    const x = this.inst.x;
    this.rows.take(x.outRows(), this.indexOffset);
    const late = x.lateRows();
    if (late > 0) {
      const i32 = this.inst.mem().i32;
      const base = this.inst.layout.regions.late >> 2;
      for (let j = 0; j < late; j++) out.late(at + i32[base + j]!);
    }
    x.clearOutput();
    this.rows.emit(out);
    this.indexOffset = 0;
  }

  /**
   * Micro-batch: the windows a batch changed that the step itself will not
   * fire: already-fired windows within allowed lateness (final), or every
   * accepted window (update). Derived from the entries the kernel touched.
   */
  private requestChanged(): void {
    const x = this.inst.x;
    const n = x.touchedCount();
    if (n === 0) return;
    const m = this.inst.mem();
    const ids = m.i32.subarray(x.touchedBase() >> 2, (x.touchedBase() >> 2) + n);
    const { offset } = this.window;
    const L = this.plan.allowedLateness;
    const W = this.batchWm;
    const update = this.plan.emit === "update";
    const wanted = new Map<string, { key: number; a: number; end: number }>();
    for (const e of ids) {
      const key = x.entryKey(e);
      const s = x.entrySlice(e);
      const newest = s - floorMod(s, this.k);
      for (let a = newest; a > s - this.w; a -= this.k) {
        const maxTs = offset + (a + this.w) * this.g - 1;
        if (maxTs + L <= W) break; // older windows are past lateness too
        if (update || maxTs <= W) wanted.set(`${key}:${a}`, { key, a, end: maxTs + 1 });
      }
    }
    const list = [...wanted.values()].sort((p, q) => p.end - q.end || this.ctx.compareKeys(p.key, q.key));
    const req = this.inst.layout.regions.req;
    for (let i = 0; i < list.length; i += REQUEST_CAPACITY) {
      const part = list.slice(i, i + REQUEST_CAPACITY);
      const mm = this.inst.mem();
      part.forEach((r, j) => {
        mm.i32[(req >> 2) + 4 * j] = r.key;
        mm.f64[(req >> 3) + 2 * j + 1] = r.a;
      });
      x.emitRequested(part.length, -1);
    }
  }
}
