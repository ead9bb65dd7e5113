/**
 * The resolved, frozen pipeline plan: what the runtime executes. Built only
 * by `resolveSpec` (from YAML/JSON or the fluent API); every duration is in
 * ms and every default is filled in, so the runtime never sees raw config.
 */
import type { ForwardSpec, SinkSpec, SourceSpec } from "./schema.js";

export type Mode = "continuous" | "micro-batch";
export type EmitMode = "final" | "update" | "complete";

/** Tumbling and sliding windows: `[start, start + size)`, starts aligned to `offset` modulo `slide`. */
export interface SlidingWindowPlan {
  kind: "tumbling" | "sliding";
  size: number;
  slide: number;
  offset: number;
}
/** Session windows: a record opens `[ts, ts + gap)`; overlapping or touching windows of a key merge. */
export interface SessionWindowPlan {
  kind: "session";
  gap: number;
}
/** Count windows: fire every `slide` records of a key with the last (at most) `size`. */
export interface CountWindowPlan {
  kind: "count";
  size: number;
  slide: number;
}
export type WindowPlan = SlidingWindowPlan | SessionWindowPlan | CountWindowPlan;
export type TimeWindowPlan = SlidingWindowPlan | SessionWindowPlan;

export type AggregateFn =
  | "count"
  | "sum"
  | "avg"
  | "min"
  | "max"
  | "first"
  | "last"
  | "count_distinct"
  | "approx_count_distinct"
  | "percentile"
  | "percentile_approx"
  | "quantile"
  | "stddev_pop"
  | "stddev_samp"
  | "var_pop"
  | "var_samp";

/** One output column: `name: fn(field, ...)`. */
export interface AggregatePlan {
  name: string;
  fn: AggregateFn;
  /** Record field the aggregate reads; `null` only for `count()`. */
  field: string | null;
  /** percentile / percentile_approx: p in [0, 1]; quantile: q in [0, 1]. */
  p?: number;
  /** percentile_approx: exact while the window holds at most this many values. */
  accuracy?: number;
  /** approx_count_distinct: HyperLogLog precision (2^precision registers). */
  precision?: number;
}

/** Event time and watermarks (see docs/semantics.md "Watermarks"). */
export interface TimePlan {
  field: string;
  maxOutOfOrderness: number;
  /** Processing-time ms after which a silent input stops holding the watermark back; null = never. */
  idleTimeout: number | null;
  /** Record field naming the input a record came from; null = one input. */
  sourceField: string | null;
  /** Inputs named in advance, each with its bound (they hold the watermark until they send or go idle). */
  sources: Readonly<Record<string, { maxOutOfOrderness: number }>>;
  policy: "min" | "max";
}

export interface PipelinePlan {
  name: string;
  mode: Mode;
  /** Micro-batch interval for live sources, ms. */
  trigger: number;
  time: TimePlan | null;
  /** Key fields; empty means one global key. */
  key: readonly string[];
  window: WindowPlan;
  allowedLateness: number;
  emit: EmitMode;
  endOfInput: "flush" | "hold";
  compat: "none" | "spark";
  aggregates: readonly AggregatePlan[];
  /** Live sources, each an input (one source: the unnamed input ""). Empty for replay-only specs. */
  sources: readonly NamedSource[];
  sink: SinkSpec | null;
  late: SinkSpec | null;
  /** Where malformed records go when running live. */
  deadLetter: SinkSpec | null;
  /** How often a live pipeline checkpoints, ms. */
  checkpointInterval: number;
  /** Forwarding of fired windows (with partial state) to a central tier. */
  forward: ForwardSpec | null;
}

/** A source with its input name. */
export type NamedSource = SourceSpec & { name: string };

export function isTimeWindow(w: WindowPlan): w is TimeWindowPlan {
  return w.kind !== "count";
}

/**
 * Freezes a plan and everything in it, as `resolveSpec` returns it; also
 * for a plan that was copied across threads (a structured clone is not
 * frozen).
 */
export function freezePlan<T>(o: T): T {
  if (typeof o === "object" && o !== null && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) freezePlan(v);
  }
  return o;
}
