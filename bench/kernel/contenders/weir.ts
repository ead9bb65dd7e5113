/**
 * weir's window operator in micro-batch mode over a chosen kernel. Records
 * are decoded into column batches of {@link BATCH_RECORDS} before the clock
 * starts (each operator interns keys in its own dictionary, so every
 * operator decodes for itself); the timed region is feeding the batches
 * (`accumulate` then `endBatch`, the watermark advancing once per batch)
 * and `endOfInput`. The sink takes fired windows as the kernel hands them
 * out (`fired`), so the figure is the kernel's, not that of building JSON
 * row objects (the naive contender sums its windows directly, too).
 */
import {
  createKernelFactory,
  pipeline,
  WeirError,
  WindowOperator,
  type ColumnBatch,
  type FiredRows,
  type FiredWindow,
  type KernelKind,
  type PipelinePlan,
} from "../../../src/index.js";
import { collectGarbage } from "../../lib/gc.js";
import type { Log } from "../../lib/log.js";
import { MAX_OUT_OF_ORDERNESS, weirAggregates, type KernelCase } from "../cases.js";
import type { Contender, Measurement } from "../contender.js";
import { BATCH_RECORDS, recordAt, type KernelData } from "../data.js";
import { addRow, newTotals } from "../totals.js";

export function kernelPlan(c: KernelCase): PipelinePlan {
  const p = pipeline(`kernel-bench-${c.name}`)
    .mode("micro-batch")
    .eventTime("ts", { maxOutOfOrderness: MAX_OUT_OF_ORDERNESS })
    .key("id");
  const windowed = c.slide === c.size ? p.tumbling(c.size) : p.sliding(c.size, c.slide);
  return windowed.aggregate(weirAggregates(c)).build();
}

/** Decodes every record into batches of this operator's layout and key ids (untimed). */
function decodeAll(op: WindowOperator, d: KernelData, batchRecords: number): ColumnBatch[] {
  const batches: ColumnBatch[] = [];
  for (let from = 0; from < d.length; from += batchRecords) {
    const to = Math.min(d.length, from + batchRecords);
    const batch = op.newBatch(to - from);
    for (let i = from; i < to; i++) {
      const problem = op.decode(batch, recordAt(d, i), null);
      if (problem !== null) throw new WeirError("BENCH_DATA", `record ${i} does not decode: ${problem}`);
    }
    batches.push(batch);
  }
  return batches;
}

export function weirContender(kind: KernelKind, batchRecords = BATCH_RECORDS): Contender {
  return {
    name: `weir-${kind}`,
    method:
      `weir's WindowOperator with the ${kind === "wasm" ? "WebAssembly" : "TypeScript reference"} kernel, micro-batch mode, ` +
      `2 s bounded out-of-orderness. Records are decoded into column batches of ${batchRecords.toLocaleString("en-US")} before timing; ` +
      "timed: accumulate + endBatch per batch, then endOfInput; fired windows go to a summing sink as the kernel hands them out.",
    async run(c: KernelCase, d: KernelData, log: Log): Promise<Measurement> {
      const kernel = createKernelFactory(kind);
      const totals = newTotals();
      const plan = kernelPlan(c);
      const names = plan.aggregates.map((a) => a.name);
      const at = (name: string) => names.indexOf(name);
      const [n, sum, p99, distinct] = [at("n"), at("sum_v"), at("p99"), at("distinct_k2")];
      const value = (w: FiredWindow, i: number) => (i < 0 ? 0 : (w.values[i] ?? 0));
      const nz = (v: number) => (v === v ? v : 0);
      const op = new WindowOperator(
        plan,
        {
          row: (row) => addRow(totals, row),
          fired: (w) => {
            totals.rows++;
            totals.count += value(w, n);
            totals.sum += value(w, sum);
            totals.quantile += value(w, p99);
            totals.distinct += value(w, distinct);
          },
          firedRows: (rows: FiredRows) => {
            // Straight from the kernel's row layout: no object per row.
            const half = rows.rowWords / 2;
            for (let r = 0; r < rows.count; r++) {
              const v = r * half + 3;
              totals.rows++;
              if (n >= 0) totals.count += rows.f64[v + n]!;
              if (sum >= 0) totals.sum += nz(rows.f64[v + sum]!);
              if (p99 >= 0) totals.quantile += nz(rows.f64[v + p99]!);
              if (distinct >= 0) totals.distinct += rows.f64[v + distinct]!;
            }
          },
          late: () => void totals.late++,
        },
        { kernel },
      );
      log(`${c.name} · weir-${kind}: decoding ${d.length.toLocaleString("en-US")} records into column batches (untimed)`);
      const batches = decodeAll(op, d, batchRecords);
      collectGarbage(); // (the decoded records' garbage, before the clock starts)
      log(`${c.name} · weir-${kind}: running`);
      let ms = 0;
      let peakOpen = 0;
      let bytesAtPeak = 0;
      for (let b = 0; b < batches.length; b++) {
        let t0 = performance.now();
        op.accumulate(batches[b]!, b);
        ms += performance.now() - t0;
        // Off the clock, before the batch's windows fire: state is at its largest here.
        const s = op.kernel.stats();
        if (s.openWindows >= peakOpen) {
          peakOpen = s.openWindows;
          bytesAtPeak = s.stateBytes;
        }
        t0 = performance.now();
        op.endBatch(b);
        ms += performance.now() - t0;
      }
      const t0 = performance.now();
      op.endOfInput();
      ms += performance.now() - t0;
      return { seconds: ms / 1000, totals, bytesPerWindow: peakOpen > 0 ? bytesAtPeak / peakOpen : 0 };
    },
  };
}
