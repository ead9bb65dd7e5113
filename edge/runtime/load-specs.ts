/**
 * Resolving the specs a node starts with (`loadSpec`) in a worker thread.
 * The spec loader, the YAML parser and zod with the spec schema, is needed
 * only for that moment; imported into the node's own thread it would stay
 * for the life of the process: 8 MiB more resident memory in a node that
 * has just started (its heap grows while the loader is compiled), 3 MiB
 * once V8 has shrunk the heap of the idle node. A spec deployed later over
 * the HTTP API loads it into the node after all.
 */
import { Worker } from "node:worker_threads";
import { freezePlan, SpecError, type PipelinePlan, type SpecOverrides, type SpecProblem } from "../../src/runtime.js";

export interface SpecJob {
  text: string;
  overrides: SpecOverrides;
}

/** What `loadSpec` did with one job: a plan, the problems of a SpecError, or another error. */
export type SpecOutcome = { plan: PipelinePlan } | { problems: SpecProblem[] } | { error: { message: string; stack?: string } };

/** Runs `loadSpec` on every job, each independently of the others, in one worker thread that then exits. */
export async function resolveApart(jobs: SpecJob[]): Promise<SpecOutcome[]> {
  if (jobs.length === 0) return [];
  const worker = new Worker(new URL("./load-specs-worker.js", import.meta.url), { workerData: jobs });
  return new Promise<SpecOutcome[]>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`the spec worker exited with code ${code} before it answered`)));
  });
}

/** The plan of an outcome, frozen as `loadSpec` returns it; throws what `loadSpec` threw. */
export function planOf(outcome: SpecOutcome): PipelinePlan {
  if ("plan" in outcome) return freezePlan(outcome.plan);
  if ("problems" in outcome) throw new SpecError(outcome.problems);
  throw Object.assign(new Error(outcome.error.message), { stack: outcome.error.stack });
}
