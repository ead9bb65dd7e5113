/**
 * What a user would write without a stream library: a `Map` from
 * `${key}|${windowStart}` to one object per window, updated by each record
 * object; when the watermark (largest time seen − 2 s) passes the earliest
 * open window end, scan the map, emit the windows it has passed and delete
 * them. For the sketch case it keeps every value (an array, sorted when the
 * window fires, for the quantile) and a `Set` of k2 values: exact, and the
 * kind of code that makes a gateway run out of memory on large windows.
 *
 * Records arrive as objects in arrays of {@link BATCH_RECORDS}, built before
 * the clock starts for each array, as a decoder would hand them over.
 */
import type { Log } from "../../lib/log.js";
import { MAX_OUT_OF_ORDERNESS, QUANTILE_Q, type KernelCase } from "../cases.js";
import type { Contender, Measurement } from "../contender.js";
import { BATCH_RECORDS, recordsIn, type BenchRecord, type KernelData } from "../data.js";
import { addRow, newTotals, type Totals } from "../totals.js";

interface Win {
  id: string;
  start: number;
  end: number;
  n: number;
  sum: number;
  min: number;
  max: number;
  values: number[] | null;
  k2s: Set<string> | null;
}

class NaiveWindows {
  private readonly windows = new Map<string, Win>();
  private maxTs = -Infinity;
  private nextEnd = Infinity;

  constructor(private readonly c: KernelCase, private readonly totals: Totals) {}

  push(r: BenchRecord): void {
    const { size, slide } = this.c;
    if (r.ts > this.maxTs) this.maxTs = r.ts;
    const watermark = this.maxTs - MAX_OUT_OF_ORDERNESS;
    let kept = false;
    for (let start = r.ts - (r.ts % slide); start > r.ts - size; start -= slide) {
      const end = start + size;
      if (end <= watermark) continue; // fired and deleted already: too late for this window
      kept = true;
      const id = `${r.id}|${start}`;
      let w = this.windows.get(id);
      if (w === undefined) {
        const sk = this.c.sketches;
        w = { id: r.id, start, end, n: 0, sum: 0, min: Infinity, max: -Infinity, values: sk ? [] : null, k2s: sk ? new Set() : null };
        this.windows.set(id, w);
        if (end < this.nextEnd) this.nextEnd = end;
      }
      if (w.values !== null) {
        w.values.push(r.v);
        w.k2s!.add(r.k2);
      } else {
        w.n++;
        w.sum += r.v;
        if (r.v < w.min) w.min = r.v;
        if (r.v > w.max) w.max = r.v;
      }
    }
    if (!kept) this.totals.late++;
    if (watermark >= this.nextEnd) this.fire(watermark);
  }

  /** Emits and deletes every window whose end the watermark has reached. */
  fire(watermark: number): void {
    let next = Infinity;
    for (const [id, w] of this.windows) {
      if (w.end <= watermark) {
        this.emit(w);
        this.windows.delete(id);
      } else if (w.end < next) next = w.end;
    }
    this.nextEnd = next;
  }

  private emit(w: Win): void {
    if (w.values === null) {
      const avg = w.sum / w.n;
      addRow(this.totals, { id: w.id, window_start: w.start, window_end: w.end, n: w.n, sum_v: w.sum, min_v: w.min, max_v: w.max, avg_v: avg });
      return;
    }
    const sorted = w.values.sort((a, b) => a - b);
    const rank = QUANTILE_Q * (sorted.length - 1);
    const p99 = sorted[Math.floor(rank)]!; // weir's rank: the lower of the two that interpolation would use
    addRow(this.totals, { id: w.id, window_start: w.start, window_end: w.end, p99, distinct_k2: w.k2s!.size });
    // For the agreement check, not what a user would compute.
    const exact = (this.totals.exact ??= { quantileLo: 0, quantileHi: 0, distinct: 0 });
    exact.quantileLo += p99;
    exact.quantileHi += sorted[Math.ceil(rank)]!;
    exact.distinct += w.k2s!.size;
  }
}

export function naiveJsContender(batchRecords = BATCH_RECORDS): Contender {
  return {
    name: "naive-js",
    method:
      "Plain JavaScript: a Map keyed by `${key}|${windowStart}`, one object per record and per window, windows emitted and deleted " +
      "when the watermark (max ts − 2 s) passes their end. Sketch case: every value kept and sorted at firing for the quantile, " +
      "a Set for distinct k2 (exact, unbounded memory). Record objects are built per batch before timing; timed: pushing them through, " +
      "then the final flush.",
    async run(c: KernelCase, d: KernelData, log: Log): Promise<Measurement> {
      const totals = newTotals();
      const op = new NaiveWindows(c, totals);
      log(`${c.name} · naive-js: running`);
      let ms = 0;
      for (let from = 0; from < d.length; from += batchRecords) {
        const records = recordsIn(d, from, Math.min(d.length, from + batchRecords));
        const t0 = performance.now();
        for (let i = 0; i < records.length; i++) op.push(records[i]!);
        ms += performance.now() - t0;
      }
      const t0 = performance.now();
      op.fire(Infinity);
      ms += performance.now() - t0;
      return { seconds: ms / 1000, totals, bytesPerWindow: null };
    },
  };
}
