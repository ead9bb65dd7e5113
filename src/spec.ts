/**
 * The spec loader: YAML or JSON text, spec objects and the fluent builder
 * to frozen plans, checked against the zod schema. src/index.ts exports it
 * next to src/runtime.ts; alone, it is what resolving a spec needs (the
 * child process in which `weir edge` resolves its start-up specs imports
 * only this).
 */
export { pipeline, PipelineBuilder, type EventTimeOptions } from "./plan/builder.js";
export { loadSpec } from "./plan/load.js";
export { resolveSpec, RESERVED_COLUMNS } from "./plan/resolve.js";
export { specSchema } from "./plan/schema.js";
// what the loader throws, also in runtime.ts: importing this module alone is enough to resolve a spec
export { SpecError } from "./errors.js";
