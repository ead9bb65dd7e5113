/**
 * Event-time windows kept one per (key, window), each with a slot of
 * accumulators updated record by record in arrival order. With a
 * JsAccumulatorStore this is the reference kernel, the oracle the WASM
 * kernel is tested against, so it favours the obvious over the fast: no
 * slicing, no packing. The WASM kernel reuses it for session windows, with
 * the slots in linear memory.
 *
 * Firing uses two heaps ordered by (window end, key): windows waiting to
 * fire, and every window waiting to be freed. A window that changes after
 * it fired (a late record within allowed lateness) goes on `lateDirty` and
 * fires again at the end of the step: that is a late firing.
 */
import type { ColumnBatch } from "../../codec/column-batch.js";
import type { PipelinePlan, TimeWindowPlan } from "../../plan/plan.js";
import { Heap } from "../../state/heap.js";
import { isComplete, isLate, lastWindowStart } from "../../windows/time-windows.js";
import type { AccumulatorStore } from "./accumulator-store.js";
import { largestTime, type KernelOutput, type KernelSnapshot, type KernelStats, type WindowKernel } from "../kernel.js";

interface Win {
  keyId: number;
  start: number;
  end: number;
  /** Accumulators in the store. */
  slot: number;
  /** Changed since it was last emitted. */
  dirty: boolean;
  fired: boolean;
  /** Freed or merged into another session; heap entries for it are skipped. */
  dead: boolean;
}

export class TimeWindowKernel implements WindowKernel {
  private seq = 0;
  private live = 0;
  private readonly order: (a: Win, b: Win) => number;
  private readonly toFire: Heap<Win>;
  private readonly toFree: Heap<Win>;
  private lateDirty: Win[] = [];
  private changed: Win[] = [];
  /** Tumbling/sliding: window start → key id → window. */
  private readonly byStart = new Map<number, Map<number, Win>>();
  /** Sessions: key id → its windows, sorted by start, pairwise apart. */
  private readonly sessions = new Map<number, Win[]>();
  private readonly window: TimeWindowPlan;
  private readonly lateness: number;
  private readonly emit: PipelinePlan["emit"];

  constructor(
    private readonly plan: PipelinePlan,
    private readonly store: AccumulatorStore,
    compareKeys: (a: number, b: number) => number,
    /** Fired windows carry their encoded partial state (for forwarding to a central tier). */
    private readonly withPartials = false,
  ) {
    this.window = plan.window as TimeWindowPlan;
    this.lateness = plan.allowedLateness;
    this.emit = plan.emit;
    this.order = (a, b) => a.end - b.end || compareKeys(a.keyId, b.keyId) || a.start - b.start;
    this.toFire = new Heap((a, b) => this.order(a, b) < 0);
    this.toFree = new Heap((a, b) => this.order(a, b) < 0);
  }

  accumulate(b: ColumnBatch, from: number, to: number, wm: number, out: KernelOutput): number {
    for (let i = from; i < to; i++) this.add(b, i, wm, out);
    return largestTime(b.ts, from, to);
  }

  step(wm: number, out: KernelOutput): void {
    this.endStep(wm, out, -1);
  }

  continuous(b: ColumnBatch, from: number, to: number, wm: Float64Array, out: KernelOutput): void {
    for (let i = from; i < to; i++) {
      this.add(b, i, wm[i - from]!, out);
      this.endStep(wm[i - from + 1]!, out, i);
    }
  }

  snapshot(): KernelSnapshot {
    const windows = this.allWindows()
      .sort(this.order)
      .map((w) => ({ key: w.keyId, start: w.start, end: w.end, state: this.store.snapshotSlot(w.slot) }));
    return { seq: this.seq, windows, counts: [] };
  }

  restore(s: KernelSnapshot, wm: number): void {
    this.seq = s.seq;
    for (const r of s.windows) {
      const fired = this.emit === "final" && isComplete(r.end, wm);
      const w: Win = { keyId: r.key, start: r.start, end: r.end, slot: this.store.alloc(), dirty: false, fired, dead: false };
      this.store.restoreSlot(w.slot, r.state);
      this.live++;
      this.toFree.push(w);
      if (this.emit === "final" && !fired) {
        w.dirty = true;
        this.toFire.push(w);
      }
      if (this.window.kind === "session") {
        const list = this.sessions.get(w.keyId) ?? [];
        list.push(w);
        list.sort((x, y) => x.start - y.start);
        this.sessions.set(w.keyId, list);
      } else {
        let byKey = this.byStart.get(w.start);
        if (!byKey) this.byStart.set(w.start, (byKey = new Map()));
        byKey.set(w.keyId, w);
      }
    }
  }

  stats(): KernelStats {
    // The window object (~96 bytes) plus its accumulators.
    return { openWindows: this.live, stateBytes: this.live * 96 + this.store.stats().bytes };
  }

  private add(b: ColumnBatch, i: number, wm: number, out: KernelOutput): void {
    const accepted = this.window.kind === "session" ? this.addToSession(b, i, wm) : this.addToSliding(b, i, wm);
    if (!accepted) out.late(i);
  }

  private addToSliding(b: ColumnBatch, i: number, wm: number): boolean {
    const { size, slide, offset } = this.window as Extract<TimeWindowPlan, { slide: number }>;
    const ts = b.ts[i]!;
    const keyId = b.keyId[i]!;
    const seq = this.seq++;
    let accepted = false;
    for (let start = lastWindowStart(ts, offset, slide); start > ts - size; start -= slide) {
      const end = start + size;
      if (this.drops(end, wm)) continue;
      accepted = true;
      let byKey = this.byStart.get(start);
      if (!byKey) this.byStart.set(start, (byKey = new Map()));
      let w = byKey.get(keyId);
      if (!w) byKey.set(keyId, (w = this.open(keyId, start, end, wm)));
      this.addTo(w, b, i, seq);
    }
    return accepted;
  }

  private addToSession(b: ColumnBatch, i: number, wm: number): boolean {
    const ts = b.ts[i]!;
    const keyId = b.keyId[i]!;
    const seq = this.seq++;
    const own = { start: ts, end: ts + (this.window as { gap: number }).gap };
    // compat spark: lateness is judged on the record's own window, before merging.
    if (this.plan.compat === "spark" && this.drops(own.end, wm)) return false;
    const list = this.sessions.get(keyId) ?? [];
    let lo = own.start;
    let hi = own.end;
    const hits: Win[] = [];
    for (const w of list) {
      // Overlapping or touching (a.end == b.start) windows merge.
      if (w.start <= own.end && w.end >= own.start) {
        hits.push(w);
        lo = Math.min(lo, w.start);
        hi = Math.max(hi, w.end);
      }
    }
    // Flink: lateness is judged on the window after merging.
    if (this.drops(hi, wm)) return false;
    let target: Win;
    if (hits.length === 1 && hits[0]!.start === lo && hits[0]!.end === hi) {
      target = hits[0]!;
    } else {
      target = this.open(keyId, lo, hi, wm);
      for (const h of hits) {
        this.store.merge(target.slot, h.slot);
        this.kill(h);
      }
      const kept = list.filter((w) => !w.dead);
      kept.push(target);
      kept.sort((x, y) => x.start - y.start);
      this.sessions.set(keyId, kept);
    }
    this.addTo(target, b, i, seq);
    return true;
  }

  private drops(end: number, wm: number): boolean {
    return this.emit !== "complete" && isLate(end, this.lateness, wm);
  }

  private open(keyId: number, start: number, end: number, wm: number): Win {
    const w: Win = { keyId, start, end, slot: this.store.alloc(), dirty: true, fired: false, dead: false };
    this.live++;
    this.toFree.push(w);
    if (this.emit === "final") {
      if (isComplete(end, wm)) this.lateDirty.push(w);
      else this.toFire.push(w);
    } else if (this.emit === "update") {
      this.changed.push(w);
    }
    return w;
  }

  private addTo(w: Win, b: ColumnBatch, i: number, seq: number): void {
    this.store.add(w.slot, b, i, seq);
    if (!w.dirty) {
      w.dirty = true;
      if (this.emit === "final") this.lateDirty.push(w);
      else if (this.emit === "update") this.changed.push(w);
    }
  }

  private endStep(wm: number, out: KernelOutput, index: number): void {
    if (this.emit === "final") {
      if (this.lateDirty.length > 0) {
        const late = this.lateDirty.sort(this.order);
        this.lateDirty = [];
        for (const w of late) if (!w.dead && w.dirty) this.fire(w, out, index);
      }
      while (this.toFire.size > 0 && isComplete(this.toFire.peek()!.end, wm)) {
        const w = this.toFire.pop()!;
        if (!w.dead && !w.fired) this.fire(w, out, index);
      }
    } else if (this.emit === "update") {
      if (this.changed.length > 0) {
        const changed = this.changed.sort(this.order);
        this.changed = [];
        for (const w of changed) if (!w.dead) this.fire(w, out, index);
      }
    } else {
      for (const w of this.allWindows().sort(this.order)) this.fire(w, out, index);
      return; // complete mode keeps every window
    }
    while (this.toFree.size > 0 && isLate(this.toFree.peek()!.end, this.lateness, wm)) {
      const w = this.toFree.pop()!;
      if (!w.dead) this.free(w);
    }
  }

  private fire(w: Win, out: KernelOutput, index: number): void {
    w.dirty = false;
    w.fired = true;
    const partials = this.withPartials ? this.store.partialsOf(w.slot) : undefined;
    out.fire({ keyId: w.keyId, start: w.start, end: w.end, seq: -1, values: this.store.results(w.slot), partials }, index);
  }

  private free(w: Win): void {
    if (this.window.kind === "session") {
      const list = this.sessions.get(w.keyId)!.filter((x) => x !== w);
      if (list.length === 0) this.sessions.delete(w.keyId);
      else this.sessions.set(w.keyId, list);
    } else {
      const byKey = this.byStart.get(w.start)!;
      byKey.delete(w.keyId);
      if (byKey.size === 0) this.byStart.delete(w.start);
    }
    this.kill(w);
  }

  private kill(w: Win): void {
    w.dead = true;
    this.store.free(w.slot);
    this.live--;
  }

  private allWindows(): Win[] {
    const all: Win[] = [];
    for (const byKey of this.byStart.values()) for (const w of byKey.values()) all.push(w);
    for (const list of this.sessions.values()) all.push(...list);
    return all;
  }
}
