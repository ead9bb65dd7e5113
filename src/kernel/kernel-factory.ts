/**
 * Chooses a window kernel by name: `"wasm"` (the default) is the
 * WebAssembly kernel, `"ts"` the plain-TypeScript reference kernel. Pass
 * the name or the factory as `{ kernel }` in OperatorOptions.
 *
 * @example
 * const op = new WindowOperator(plan, sink, { kernel: "ts" });
 */
import type { KernelFactory } from "./kernel.js";
import { createReferenceKernel } from "./reference/index.js";
import { createWasmKernel } from "./wasm/index.js";

export type KernelKind = "ts" | "wasm";

export function createKernelFactory(kind: KernelKind): KernelFactory {
  return kind === "ts" ? createReferenceKernel : createWasmKernel;
}
