/**
 * What the commands accept: their usage lines (for `weir help` and their
 * own errors) and the option values several of them parse. Kept apart from
 * the commands, so that `weir <command>` loads the code of that command only.
 */
import { UsageError, type KernelKind } from "../../src/runtime.js";

export const RUN_USAGE = `usage: weir run <spec.yaml|json> --input <file.jsonl> [--input <file2.jsonl> ...]
                --output <out.jsonl> [--mode continuous|micro-batch]
                [--late-output <late.jsonl>] [--dead-letter <dead.jsonl>] [--annotate]
                [--kernel wasm|ts]`;

export const EDGE_USAGE = `usage: weir edge [<spec.yaml|json> ...] [--nats <url>] [--data-dir <dir>]
                 [--name <edge-id>] [--leaf <hub-leaf-url>] [--mode continuous|micro-batch]
                 [--http [<host:port>]] [--token <token>] [--kernel wasm|ts] [--pretty]`;

export const CENTRAL_USAGE = `usage: weir central <spec.yaml|json> [<spec2> ...] --nats <url> [--name <id>] [--pretty]`;

export const DEMO_USAGE = "usage: weir demo [--mode continuous|micro-batch] [--duration 12s] [--kernel wasm|ts] [--http <host:port> | --no-http]";

/** `--kernel`: the WASM kernel by default, the TypeScript reference kernel on request. */
export function parseKernel(value: string | undefined): KernelKind {
  if (value === undefined) return "wasm";
  if (value !== "wasm" && value !== "ts") throw new UsageError(`--kernel must be wasm or ts, got "${value}"`);
  return value;
}
