/**
 * `weir edge <spec...> --nats <url>`: the long-running edge node
 * (docs/edge.md). Runs every pipeline until SIGINT/SIGTERM, then drains:
 * stops pulling, finishes the batch in flight, checkpoints, flushes the
 * sinks and exits 0. With `--leaf <hub-url>` it first starts its own
 * nats-server as a leaf node of the hub, on the --nats address.
 */
import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { UsageError, type Mode, type PipelinePlan } from "../../src/index.js";
import { startEdgeNode } from "../runtime/edge-node.js";
import { LeafServer } from "../runtime/leaf-server.js";
import { createLogger } from "../runtime/log.js";
import { loadPlan, parseKernel } from "./run-command.js";

export const EDGE_USAGE = `usage: weir edge <spec.yaml|json> [<spec2> ...] [--nats <url>] [--data-dir <dir>]
                 [--name <edge-id>] [--leaf <hub-leaf-url>] [--mode continuous|micro-batch]
                 [--kernel wasm|ts] [--pretty]`;

export async function edgeCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        nats: { type: "string" },
        "data-dir": { type: "string" },
        name: { type: "string" },
        leaf: { type: "string" },
        mode: { type: "string" },
        kernel: { type: "string" },
        pretty: { type: "boolean" },
      },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${EDGE_USAGE}`);
  }
  const { values: v, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError(`expected at least one spec file\n${EDGE_USAGE}`);
  if (v.mode !== undefined && v.mode !== "continuous" && v.mode !== "micro-batch") throw new UsageError(`--mode must be continuous or micro-batch, got "${v.mode}"`);
  const kernel = parseKernel(v.kernel);
  const name = (v.name ?? hostname()).replace(/[^A-Za-z0-9_-]/g, "_");
  if (v.leaf && !v["data-dir"]) throw new UsageError("--leaf needs --data-dir (where the leaf server keeps its JetStream store)");
  const plans: PipelinePlan[] = [];
  for (const p of positionals) plans.push(await loadPlan(p, v.mode as Mode | undefined));
  const names = new Set<string>();
  for (const p of plans) {
    if (names.has(p.name)) throw new UsageError(`two specs are named "${p.name}": pipeline names must differ`);
    names.add(p.name);
  }

  const log = createLogger({ pretty: v.pretty, base: { edge: name } });
  let leaf: LeafServer | null = null;
  let nats = v.nats;
  if (v.leaf) {
    const url = new URL((nats ?? "nats://127.0.0.1:4222").split(",")[0]!);
    leaf = await LeafServer.start({ hub: v.leaf, host: url.hostname, port: Number(url.port || 4222), name, dataDir: v["data-dir"]!, log });
    nats = `nats://${url.hostname}:${url.port || 4222}`;
  }
  try {
    const node = await startEdgeNode({ plans, nats, dataDir: v["data-dir"], name, kernel, log });
    let signals = 0;
    const onSignal = (sig: string) => {
      if (++signals > 1) {
        log.warn("second signal: exiting without draining", { signal: sig });
        process.exit(130);
      }
      log.info("draining", { signal: sig });
      void node.stop();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    await node.done;
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    log.info("edge node stopped");
    return 0;
  } finally {
    await leaf?.stop();
  }
}
