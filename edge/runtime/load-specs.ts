/**
 * Resolving the specs a node starts with (`loadSpec`) in a short-lived
 * child process. The spec loader, the YAML parser and zod with the spec
 * schema, is needed only for that moment; imported into the node it would
 * stay for the life of the process (ES modules are never unloaded): 11 MiB
 * more resident memory in an idle node that has just started, 6 MiB once
 * V8 has shrunk its heap. A worker thread would give back only part of
 * that: its malloc arena and the pages of the node binary it touched stay
 * (3 MiB). A spec deployed later over the HTTP API loads the loader into
 * the node after all.
 */
import { fork } from "node:child_process";
import { freezePlan, SpecError, type PipelinePlan, type SpecOverrides, type SpecProblem } from "../../src/runtime.js";

/** Resolving specs is quick work on text; a resolver that takes longer than this is stopped and start-up fails. */
const RESOLVE_LIMIT_MS = 60_000;

export interface SpecJob {
  text: string;
  overrides: SpecOverrides;
}

/** What `loadSpec` did with one job: a plan, the problems of a SpecError, or another error. */
export type SpecOutcome = { plan: PipelinePlan } | { problems: SpecProblem[] } | { error: { message: string; stack?: string } };

/**
 * Runs `loadSpec` on every job, each independently of the others, in one
 * child process that ends once it has answered: the same node binary,
 * without this process's node options (from its command line or
 * NODE_OPTIONS: an --inspect port, say, is this process's).
 */
export async function resolveApart(jobs: SpecJob[], timeoutMs = RESOLVE_LIMIT_MS): Promise<SpecOutcome[]> {
  if (jobs.length === 0) return [];
  const { NODE_OPTIONS: _, ...env } = process.env;
  const child = fork(new URL("./load-specs-child.js", import.meta.url), { execArgv: [], env, serialization: "advanced", stdio: ["ignore", "ignore", "inherit", "ipc"] });
  return new Promise<SpecOutcome[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the spec resolver process did not answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.once("message", (outcomes) => {
      clearTimeout(timer);
      resolve(outcomes as SpecOutcome[]);
      child.disconnect();
    });
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the spec resolver process ended (${signal ?? `exit code ${code}`}) before it answered`));
    });
    child.send(jobs);
  });
}

/** The plan of an outcome, frozen as `loadSpec` returns it; throws what `loadSpec` threw. */
export function planOf(outcome: SpecOutcome): PipelinePlan {
  if ("plan" in outcome) return freezePlan(outcome.plan);
  if ("problems" in outcome) throw new SpecError(outcome.problems);
  throw Object.assign(new Error(outcome.error.message), { stack: outcome.error.stack });
}
