/**
 * `weir central <spec...> --nats <url>`: the central tier (docs/central.md).
 * Runs each merge pipeline (source `partials`) until SIGINT/SIGTERM.
 */
import { hostname } from "node:os";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { basename, extname } from "node:path";
import { loadSpec, SpecError, UsageError } from "../../src/index.js";
import { connectNats } from "../nats/connection.js";
import { CentralPipeline } from "../runtime/central-pipeline.js";
import { openSink } from "../runtime/edge-node.js";
import { createLogger } from "../runtime/log.js";
import { NatsSink } from "../sinks/nats-sinks.js";
import { CENTRAL_USAGE } from "./usage.js";

export async function centralCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { nats: { type: "string" }, name: { type: "string" }, pretty: { type: "boolean" } } });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${CENTRAL_USAGE}`);
  }
  const { values: v, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError(`expected at least one spec file\n${CENTRAL_USAGE}`);
  if (!v.nats) throw new UsageError(`--nats is required: the central tier reads edge summaries from NATS\n${CENTRAL_USAGE}`);
  const plans = [];
  for (const file of positionals) {
    const text = await readFile(file, "utf8").catch((e: NodeJS.ErrnoException) => {
      throw new SpecError([{ path: "", message: `cannot read spec file ${file}: ${e.code ?? e.message}` }], { cause: e });
    });
    const plan = loadSpec(text, { defaultName: basename(file, extname(file)) });
    if (plan.sources.length !== 1 || !plan.sources[0]!.partials) throw new SpecError([{ path: "source", message: "a central pipeline reads edge summaries: source: { partials: { subject: ... } }" }]);
    plans.push(plan);
  }
  const name = (v.name ?? hostname()).replace(/[^A-Za-z0-9_-]/g, "_");
  const log = createLogger({ pretty: v.pretty, base: { central: name } });
  const nc = await connectNats(v.nats, `weir-central-${name}`);
  log.info("connected to NATS", { server: nc.getServer() });
  const pipelines: CentralPipeline[] = [];
  for (const plan of plans) {
    const plog = log.child({ pipeline: plan.name });
    pipelines.push(
      new CentralPipeline({
        plan,
        nc,
        rows: plan.sink ? await openSink(plan.sink, nc, v.nats, plog) : await openSink({ console: {} }, nc, null, plog),
        late: plan.late ? await openSink(plan.late, nc, v.nats, plog) : null,
        deadLetter: plan.deadLetter ? await openSink(plan.deadLetter, nc, v.nats, plog) : new NatsSink(nc, `weir.dead-letter.${plan.name}`, "json"),
        log: plog,
      }),
    );
  }
  const stop = (sig: string) => {
    log.info("stopping", { signal: sig });
    for (const p of pipelines) p.stop();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    await Promise.all(pipelines.map((p) => p.run()));
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    await nc.drain().catch(() => undefined);
  }
  return 0;
}
