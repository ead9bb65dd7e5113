import { resolveSpec, runBatches, type KernelKind, type Mode, type PipelinePlan, type RunOptions } from "../../src/index.js";

/** Every kernel implementation: the contract suites run against each. */
export const KERNELS: KernelKind[] = ["ts", "wasm"];

let kernel: KernelKind = "wasm";

/** Selects the kernel that `run` uses (call from a beforeAll of a describe.each over KERNELS). */
export function useKernel(k: KernelKind): void {
  kernel = k;
}

export function currentKernel(): KernelKind {
  return kernel;
}

/** A spec with test defaults: key k, time field ts, tumbling 10 ms, count(). */
export function plan(extra: Record<string, unknown> = {}, mode: Mode = "continuous"): PipelinePlan {
  return resolveSpec({ name: "t", time: { field: "ts" }, key: "k", window: { tumbling: 10 }, aggregate: { n: "count()" }, ...extra }, { mode });
}

/** Shorthand record: key, time, optional value. */
export function r(k: string, ts: number, v?: number): Record<string, unknown> {
  return v === undefined ? { k, ts } : { k, ts, v };
}

export function run(p: PipelinePlan, batches: unknown[][], opts?: RunOptions) {
  return runBatches(p, batches, { kernel, ...opts });
}

/** Rows without `emitted_at`. */
export function bare(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map(({ emitted_at: _, ...rest }) => rest);
}
