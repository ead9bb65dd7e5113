/**
 * The worker of load-specs.ts: `loadSpec` on each job of `workerData`, one
 * message with the outcomes, then it ends (and with it the memory of the
 * spec loader).
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadSpec } from "../../src/spec.js";
import { SpecError } from "../../src/runtime.js";
import type { SpecJob, SpecOutcome } from "./load-specs.js";

function outcome(job: SpecJob): SpecOutcome {
  try {
    return { plan: loadSpec(job.text, job.overrides) };
  } catch (e) {
    if (e instanceof SpecError) return { problems: [...e.problems] };
    const err = e instanceof Error ? e : new Error(String(e));
    return { error: { message: err.message, stack: err.stack } };
  }
}

parentPort!.postMessage((workerData as SpecJob[]).map(outcome));
