/**
 * weir's public API.
 *
 * @example
 * import { pipeline, runBatches } from "weir";
 * const plan = pipeline("stats").eventTime("ts").key("id").tumbling("10s").aggregate({ n: "count()" }).build();
 * const { rows } = runBatches(plan, [[{ id: "a", ts: 1000 }]]);
 */
export * from "./runtime.js";
export * from "./spec.js";
