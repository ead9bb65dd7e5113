import { resolveSpec, runBatches, type Mode, type PipelinePlan, type RunOptions } from "../../src/index.js";

/** A spec with test defaults: key k, time field ts, tumbling 10 ms, count(). */
export function plan(extra: Record<string, unknown> = {}, mode: Mode = "continuous"): PipelinePlan {
  return resolveSpec({ name: "t", time: { field: "ts" }, key: "k", window: { tumbling: 10 }, aggregate: { n: "count()" }, ...extra }, { mode });
}

/** Shorthand record: key, time, optional value. */
export function r(k: string, ts: number, v?: number): Record<string, unknown> {
  return v === undefined ? { k, ts } : { k, ts, v };
}

export function run(p: PipelinePlan, batches: unknown[][], opts?: RunOptions) {
  return runBatches(p, batches, opts);
}

/** Rows without `emitted_at`. */
export function bare(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map(({ emitted_at: _, ...rest }) => rest);
}
