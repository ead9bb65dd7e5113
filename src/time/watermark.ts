/**
 * Watermarks (docs/semantics.md "Watermarks").
 *
 * Each input has a bounded-out-of-orderness generator: with `M` the largest
 * event time it has sent and `d` its bound, its watermark is `M - d - 1`,
 * meaning "every ts <= W has been seen" (Flink's convention). The pipeline
 * watermark combines the inputs (minimum by default, `policy: max`
 * optionally), skips inputs idle for `idleTimeout` of processing time, and
 * never goes back. `compat: spark` floors it at the Spark watermark 0 (W = -1).
 */
import type { TimePlan } from "../plan/plan.js";

/** A processing-time clock in ms (injectable for tests). */
export type Clock = () => number;

export interface InputWatermark {
  name: string;
  maxTimestamp: number;
  watermark: number;
  idle: boolean;
}

export interface WatermarkState {
  current: number;
  inputs: { name: string; maxTs: number }[];
}

export class WatermarkTracker {
  /** The pipeline watermark: every event time <= current has been seen. */
  current: number;
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly maxTs: number[] = [];
  private readonly bound: number[] = [];
  private readonly lastActive: number[] = [];
  private readonly defaultBound: number;
  private readonly idleTimeout: number | null;
  private readonly useMax: boolean;

  constructor(time: TimePlan | null, compat: "none" | "spark", private readonly clock: Clock) {
    this.current = compat === "spark" ? -1 : -Infinity;
    this.defaultBound = time?.maxOutOfOrderness ?? 0;
    this.idleTimeout = time?.idleTimeout ?? null;
    this.useMax = time?.policy === "max";
    if (time?.sourceField || Object.keys(time?.sources ?? {}).length > 0) {
      for (const [name, s] of Object.entries(time!.sources)) this.register(name, s.maxOutOfOrderness);
    } else {
      this.register("", this.defaultBound);
    }
  }

  /** Index of a named input, registering an unlisted one on first sight. */
  inputIndex(name: string): number {
    return this.index.get(name) ?? this.register(name, this.defaultBound);
  }

  get inputCount(): number {
    return this.names.length;
  }

  /** Notes that `input` sent a record with event time `ts`. Does not move the watermark. */
  observe(input: number, ts: number): void {
    if (ts > this.maxTs[input]!) this.maxTs[input] = ts;
    if (this.idleTimeout !== null) this.lastActive[input] = this.clock();
  }

  /**
   * Notes records [0, n) of a batch (input ids and event times) at once;
   * `largest` is the largest of ts[0, n), which the kernel found as it
   * added them (all a single input without an idle timeout needs).
   */
  observeBatch(input: Int32Array, ts: Float64Array, n: number, largest: number): void {
    if (this.names.length === 1 && this.idleTimeout === null) {
      if (largest > this.maxTs[0]!) this.maxTs[0] = largest;
      return;
    }
    for (let i = 0; i < n; i++) this.observe(input[i]!, ts[i]!);
  }

  /** Recomputes the pipeline watermark from the inputs; returns it (monotone). */
  advance(): number {
    let w: number;
    if (this.names.length === 1 && this.idleTimeout === null) {
      w = this.maxTs[0]! - this.bound[0]! - 1;
    } else {
      w = this.combine();
    }
    if (w > this.current) this.current = w;
    return this.current;
  }

  /** What a checkpoint keeps: the watermark and each input's largest event time. */
  state(): WatermarkState {
    return { current: this.current, inputs: this.names.map((name, i) => ({ name, maxTs: this.maxTs[i]! })) };
  }

  /** Restores {@link state} into a fresh tracker (inputs count as active from now). */
  restoreState(s: WatermarkState): void {
    this.current = s.current;
    for (const { name, maxTs } of s.inputs) this.maxTs[this.inputIndex(name)] = maxTs;
  }

  /** Per-input view for metrics and the API. */
  inputs(): InputWatermark[] {
    const now = this.idleTimeout === null ? 0 : this.clock();
    return this.names.map((name, i) => ({
      name,
      maxTimestamp: this.maxTs[i]!,
      watermark: this.maxTs[i]! - this.bound[i]! - 1,
      idle: this.isIdle(i, now),
    }));
  }

  private combine(): number {
    const now = this.idleTimeout === null ? 0 : this.clock();
    let combined = this.useMax ? -Infinity : Infinity;
    let active = 0;
    let maxAll = -Infinity;
    let lastActive = -Infinity;
    for (let i = 0; i < this.names.length; i++) {
      const w = this.maxTs[i]! - this.bound[i]! - 1;
      if (w > maxAll) maxAll = w;
      if (this.lastActive[i]! > lastActive) lastActive = this.lastActive[i]!;
      if (this.isIdle(i, now)) continue;
      active++;
      combined = this.useMax ? Math.max(combined, w) : Math.min(combined, w);
    }
    if (active > 0) return combined;
    // Every input idle: nothing holds the watermark back. It moves to the
    // largest input watermark (as Flink's watermark valve does), then on with
    // processing time from the moment the last input went idle, so that the
    // windows of a stream that stopped still close (docs/semantics.md).
    return maxAll + Math.max(0, now - (lastActive + this.idleTimeout!));
  }

  private isIdle(i: number, now: number): boolean {
    return this.idleTimeout !== null && now - this.lastActive[i]! >= this.idleTimeout;
  }

  private register(name: string, bound: number): number {
    const i = this.names.length;
    this.names.push(name);
    this.index.set(name, i);
    this.maxTs.push(-Infinity);
    this.bound.push(bound);
    this.lastActive.push(this.idleTimeout === null ? 0 : this.clock());
    return i;
  }
}
