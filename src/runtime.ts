/**
 * weir's public API without the spec loader (src/spec.ts: `loadSpec`,
 * `resolveSpec`, the fluent builder, `specSchema`, which bring the YAML
 * parser and zod); src/index.ts exports both. This is what runs a resolved
 * plan, and all a long-running `weir edge` keeps loaded: it resolves its
 * start-up specs in a child process and loads the spec loader only when a
 * spec arrives over its API.
 */
export { WeirError, SpecError, UsageError, InputError, StateError, type SpecProblem } from "./errors.js";
export { parseDuration, formatDuration } from "./plan/duration.js";
export { publishableSubject, PUBLISH_SUBJECT_RULE } from "./plan/subjects.js";
export type { SpecOverrides } from "./plan/resolve.js";
export type { SourceSpec, SinkSpec, ForwardSpec } from "./plan/schema.js";
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
export { freezePlan, type NamedSource } from "./plan/plan.js";
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
export { rowBuilder, rowJsonEncoder, type ResultRow } from "./exec/result-row.js";
export { createAggregators, type Aggregator } from "./aggregate/aggregators.js";
export { encodePartialState, decodePartialState, decodePartials, mergeStates, PARTIAL_STATE_VERSION } from "./aggregate/partial-state.js";
export type { Scalar } from "./state/dictionary.js";
export { MergeOperator, type MergeSink, type MergeCounters } from "./central/merge-operator.js";
export { encodeSummary, decodeSummary, describeAggregates, SUMMARY_VERSION, type Summary, type PartialSummary, type WatermarkSummary, type AggregateDescriptor } from "./central/summary.js";
