/** The plain-TypeScript reference kernel: the oracle and the fallback. */
import type { Aggregator } from "../../aggregate/aggregators.js";
import type { ColumnLayout } from "../../codec/column-layout.js";
import type { PipelinePlan } from "../../plan/plan.js";
import type { WindowKernel } from "../kernel.js";
import { ReferenceCountWindowKernel } from "./count-window-kernel.js";
import { ReferenceTimeWindowKernel } from "./time-window-kernel.js";

export function createReferenceKernel(
  plan: PipelinePlan,
  aggs: readonly Aggregator[],
  layout: ColumnLayout,
  compareKeys: (a: number, b: number) => number,
): WindowKernel {
  if (plan.window.kind === "count") return new ReferenceCountWindowKernel(plan.window, aggs, layout);
  return new ReferenceTimeWindowKernel(plan, aggs, compareKeys);
}
