/**
 * The `weir` command line. Exit codes: 0 success, 2 bad spec or arguments,
 * 1 any other failure.
 */
import { InputError, SpecError, UsageError, WeirError } from "../../src/runtime.js";
import { CENTRAL_USAGE, DEMO_USAGE, EDGE_USAGE, RUN_USAGE } from "./usage.js";

const USAGE = `weir: keyed event-time windows for edge gateways, in micro-batch or continuous mode

usage: weir <command> [options]

commands:
  run    replay JSON-lines files through a pipeline spec and write result rows
         ${RUN_USAGE.replace(/\n/g, "\n         ")}
  edge   run pipelines live on NATS / JetStream until SIGINT or SIGTERM (docs/edge.md)
         ${EDGE_USAGE.replace(/^usage: /, "").replace(/\n/g, "\n         ")}
  central  merge partial summaries from edges (docs/central.md)
         ${CENTRAL_USAGE.replace(/^usage: /, "")}
  demo   run a demo pipeline on a built-in simulated sensor source (no NATS needed)
         ${DEMO_USAGE.replace(/^usage: /, "")}

Docs: docs/cli.md, docs/configuration.md, docs/semantics.md`;

type Command = (argv: string[]) => Promise<number>;

/** Each command's module, loaded when that command runs (the others never are). */
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import("./run-command.js")).runCommand,
  demo: async () => (await import("./demo-command.js")).demoCommand,
  edge: async () => (await import("./edge-command.js")).edgeCommand,
  central: async () => (await import("./central-command.js")).centralCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(USAGE + "\n");
    return command === undefined ? 2 : 0;
  }
  const load = COMMANDS[command];
  if (!load) {
    process.stderr.write(`weir: unknown command "${command}"\n\n${USAGE}\n`);
    return 2;
  }
  try {
    const run = await load();
    return await run(rest);
  } catch (e) {
    return reportError(e);
  }
}

function reportError(e: unknown): number {
  if (e instanceof SpecError) {
    process.stderr.write(`weir: invalid spec:\n${e.problems.map((p) => `  ${p.path ? `${p.path}: ` : ""}${p.message}`).join("\n")}\n`);
    return 2;
  }
  if (e instanceof UsageError) {
    process.stderr.write(`weir: ${e.message}\n`);
    return 2;
  }
  if (e instanceof InputError || e instanceof WeirError) {
    process.stderr.write(`weir: ${e.message}\n`);
    return 1;
  }
  process.stderr.write(`weir: unexpected failure: ${(e as Error)?.stack ?? String(e)}\n`);
  return 1;
}
