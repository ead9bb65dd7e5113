/**
 * weir's public API.
 *
 * @example
 * import { pipeline, runBatches } from "weir";
 * const plan = pipeline("stats").eventTime("ts").key("id").tumbling("10s").aggregate({ n: "count()" }).build();
 * const { rows } = runBatches(plan, [[{ id: "a", ts: 1000 }]]);
 */
export { WeirError, SpecError, UsageError, InputError, StateError, type SpecProblem } from "./errors.js";
export { pipeline, PipelineBuilder, type EventTimeOptions } from "./plan/builder.js";
export { loadSpec } from "./plan/load.js";
export { resolveSpec, RESERVED_COLUMNS, type SpecOverrides } from "./plan/resolve.js";
export { parseDuration, formatDuration } from "./plan/duration.js";
export { AGGREGATE_FUNCTIONS } from "./plan/aggregate-expr.js";
export type {
  PipelinePlan,
  Mode,
  EmitMode,
  WindowPlan,
  TimePlan,
  AggregatePlan,
  AggregateFn,
} from "./plan/plan.js";
export { specSchema, type SourceSpec, type SinkSpec } from "./plan/schema.js";
export type { NamedSource } from "./plan/plan.js";
export { toEventTime } from "./time/event-time.js";
export { WatermarkTracker, type Clock, type InputWatermark } from "./time/watermark.js";
export { ColumnBatch } from "./codec/column-batch.js";
export { columnLayout, type ColumnLayout } from "./codec/column-layout.js";
export { recordUnpackr } from "./codec/msgpack-fields.js";
export type { WindowKernel, FiredWindow, FiredRows, KernelOutput, KernelStats, KernelContext, KernelFactory } from "./kernel/kernel.js";
export { createReferenceKernel } from "./kernel/reference/index.js";
export { createKernelFactory, type KernelKind } from "./kernel/kernel-factory.js";
export {
  WindowOperator,
  type OperatorSink,
  type OperatorOptions,
  type EmitPoint,
  type Counters,
  type OperatorMetrics,
} from "./exec/window-operator.js";
export { createExecutor, ContinuousExecutor, MicroBatchExecutor, type Executor } from "./exec/executors.js";
export { runBatches, type RunResult, type RunOptions } from "./exec/run-batches.js";
export { queryOpenWindows } from "./exec/queryable-state.js";
export type { ResultRow } from "./exec/result-row.js";
export { createAggregators, type Aggregator } from "./aggregate/aggregators.js";
export { encodePartialState, decodePartialState, decodePartials, mergeStates, PARTIAL_STATE_VERSION } from "./aggregate/partial-state.js";
export type { Scalar } from "./state/dictionary.js";
export { MergeOperator, type MergeSink, type MergeCounters } from "./central/merge-operator.js";
export { encodeSummary, decodeSummary, describeAggregates, SUMMARY_VERSION, type Summary, type PartialSummary, type WatermarkSummary, type AggregateDescriptor } from "./central/summary.js";
export type { ForwardSpec } from "./plan/schema.js";
