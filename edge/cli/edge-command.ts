/**
 * `weir edge <spec...> --nats <url>`: the long-running edge node
 * (docs/edge.md). Runs every pipeline until SIGINT/SIGTERM, then drains:
 * stops pulling, finishes the batch in flight, checkpoints, flushes the
 * sinks and exits 0. With `--leaf <hub-url>` it first starts its own
 * nats-server as a leaf node of the hub, on the --nats address.
 */
import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { readFile } from "node:fs/promises";
import { SpecError, UsageError, type Mode } from "../../src/runtime.js";
import { isLoopback, parseListen } from "../http/listen.js";
import { EdgeNode } from "../runtime/edge-node.js";
import type { LeafServer } from "../runtime/leaf-server.js";
import { createLogger } from "../runtime/log.js";
import { EDGE_USAGE, parseKernel } from "./usage.js";

/** `--http` without an address listens here. */
export const DEFAULT_HTTP = "127.0.0.1:7070";

/** Lets `--http` stand alone: gives it the default address when no host:port follows. */
function defaultHttpAddress(argv: string[]): string[] {
  const out = [...argv];
  const i = out.indexOf("--http");
  if (i >= 0 && (i + 1 >= out.length || !isListenAddress(out[i + 1]!))) out.splice(i + 1, 0, DEFAULT_HTTP);
  return out;
}

function isListenAddress(arg: string): boolean {
  try {
    parseListen(arg);
    return true;
  } catch {
    return false;
  }
}

export async function edgeCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: defaultHttpAddress(argv),
      allowPositionals: true,
      options: {
        nats: { type: "string" },
        "data-dir": { type: "string" },
        name: { type: "string" },
        leaf: { type: "string" },
        mode: { type: "string" },
        kernel: { type: "string" },
        pretty: { type: "boolean" },
        http: { type: "string" },
        token: { type: "string" },
      },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${EDGE_USAGE}`);
  }
  const { values: v, positionals } = parsed;
  if (positionals.length === 0 && v.http === undefined) throw new UsageError(`expected at least one spec file (or --http, to deploy pipelines over the API)\n${EDGE_USAGE}`);
  const token = v.token ?? (process.env.WEIR_TOKEN || undefined);
  if (v.http !== undefined) {
    let host: string;
    try {
      host = parseListen(v.http).host;
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (!isLoopback(host) && !token) throw new UsageError(`--http ${v.http}: refusing to listen beyond this machine without a token (set --token or WEIR_TOKEN)`);
  }
  if (v.mode !== undefined && v.mode !== "continuous" && v.mode !== "micro-batch") throw new UsageError(`--mode must be continuous or micro-batch, got "${v.mode}"`);
  const kernel = parseKernel(v.kernel);
  const name = (v.name ?? hostname()).replace(/[^A-Za-z0-9_-]/g, "_");
  if (v.leaf && !v["data-dir"]) throw new UsageError("--leaf needs --data-dir (where the leaf server keeps its JetStream store)");
  const specs: { text: string; file: string }[] = [];
  for (const file of positionals) {
    const text = await readFile(file, "utf8").catch((e: NodeJS.ErrnoException) => {
      throw new SpecError([{ path: "", message: `cannot read spec file ${file}: ${e.code ?? e.message}` }], { cause: e });
    });
    specs.push({ text, file });
  }

  const log = createLogger({ pretty: v.pretty, base: { edge: name } });
  let leaf: LeafServer | null = null;
  let nats = v.nats;
  if (v.leaf) {
    const url = new URL((nats ?? "nats://127.0.0.1:4222").split(",")[0]!);
    const { LeafServer } = await import("../runtime/leaf-server.js");
    leaf = await LeafServer.start({ hub: v.leaf, host: url.hostname, port: Number(url.port || 4222), name, dataDir: v["data-dir"]!, log });
    nats = `nats://${url.hostname}:${url.port || 4222}`;
  }
  try {
    const node = await EdgeNode.start({ specs, mode: v.mode as Mode | undefined, nats, dataDir: v["data-dir"], name, kernel, log, keepAlive: v.http !== undefined });
    // the HTTP server loads only with --http (and the API behind it only when a request needs it)
    let http = null;
    try {
      if (v.http !== undefined) http = await (await import("../http/server.js")).startHttpServer(node, { listen: v.http, token, log });
    } catch (e) {
      await node.stop();
      throw e;
    }
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
    await http?.close();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    log.info("edge node stopped");
    return 0;
  } finally {
    await leaf?.stop();
  }
}
