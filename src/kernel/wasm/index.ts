/**
 * The WASM kernel: tumbling and sliding windows sliced in linear memory;
 * session and count windows with TypeScript bookkeeping over accumulator
 * slots in linear memory. Same contract as the reference kernel.
 */
import type { ColumnBatch } from "../../codec/column-batch.js";
import type { PipelinePlan } from "../../plan/plan.js";
import type { KernelContext, KernelOutput, KernelSnapshot, KernelStats, WindowKernel } from "../kernel.js";
import { CountWindowKernel } from "../store/count-window-kernel.js";
import { TimeWindowKernel } from "../store/time-window-kernel.js";
import { KernelInstance, kernelStaticEnd } from "./instance.js";
import { kernelLayout } from "./layout.js";
import { PartialCodec } from "./partials.js";
import { WasmSlicingKernel } from "./slicing-kernel.js";
import { WasmAccumulatorStore } from "./wasm-store.js";

let staticEnd: number | null = null;

export function createWasmKernel(plan: PipelinePlan, ctx: KernelContext): WindowKernel {
  staticEnd ??= kernelStaticEnd();
  const inst = new KernelInstance(kernelLayout(plan.aggregates, ctx.layout, staticEnd));
  const w = plan.window;
  // The slicing kernel emits results only; with partials wanted, windows are kept whole (accumulators still in WASM).
  if ((w.kind === "tumbling" || w.kind === "sliding") && !ctx.partials) return new WasmSlicingKernel(plan, ctx, inst);
  inst.init({ size: 1, slide: 1, offset: 0 }, 0, 0);
  const store = new WasmAccumulatorStore(inst, new PartialCodec(inst, ctx.aggregators, ctx.layout), plan.aggregates.length);
  const inner = w.kind === "count" ? new CountWindowKernel(w, store) : new TimeWindowKernel(plan, store, ctx.compareKeys, ctx.partials);
  return new SlotKernel(inner, store);
}

/** Tells the slot store where batches begin and end around a store-based kernel. */
class SlotKernel implements WindowKernel {
  constructor(private readonly inner: WindowKernel, private readonly store: WasmAccumulatorStore) {}

  accumulate(b: ColumnBatch, from: number, to: number, wm: number, out: KernelOutput): number {
    this.store.beginBatch();
    const largest = this.inner.accumulate(b, from, to, wm, out);
    this.store.flush();
    return largest;
  }

  step(wm: number, out: KernelOutput): void {
    this.inner.step(wm, out);
    this.store.flush();
  }

  continuous(b: ColumnBatch, from: number, to: number, wm: Float64Array, out: KernelOutput): void {
    this.store.beginBatch();
    this.inner.continuous(b, from, to, wm, out);
    this.store.flush();
  }

  snapshot(): KernelSnapshot {
    this.store.flush();
    return this.inner.snapshot();
  }

  restore(s: KernelSnapshot, wm: number): void {
    this.inner.restore(s, wm);
    this.store.flush();
  }

  stats(): KernelStats {
    return this.inner.stats();
  }
}
