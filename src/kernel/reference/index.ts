/**
 * The plain-TypeScript reference kernel: the oracle the WASM kernel is
 * tested against, and the fallback where WebAssembly is unavailable. Every
 * window keeps its own JS accumulators (no slicing).
 */
import type { KernelContext, WindowKernel } from "../kernel.js";
import type { PipelinePlan } from "../../plan/plan.js";
import { JsAccumulatorStore } from "../store/accumulator-store.js";
import { CountWindowKernel } from "../store/count-window-kernel.js";
import { TimeWindowKernel } from "../store/time-window-kernel.js";

export function createReferenceKernel(plan: PipelinePlan, ctx: KernelContext): WindowKernel {
  const store = new JsAccumulatorStore(ctx.aggregators);
  if (plan.window.kind === "count") return new CountWindowKernel(plan.window, store);
  return new TimeWindowKernel(plan, store, ctx.compareKeys, ctx.partials);
}
