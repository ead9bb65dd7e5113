/**
 * The child process of load-specs.ts: receives the jobs over IPC, runs
 * `loadSpec` on each, sends back the outcomes and ends when the node
 * disconnects (and with it the memory of the spec loader).
 */
import { loadSpec, SpecError } from "../../src/spec.js";
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

process.once("message", (jobs) => process.send!((jobs as SpecJob[]).map(outcome)));
