/**
 * The three pipelines of `npm run bench -- peers`, each run as its own
 * process on the same pre-filled stream: how to start it, and which line it
 * prints once its consumer reads (the clock starts there).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MAX_OUT_OF_ORDERNESS_MS, WINDOW_MS } from "../edge/data.js";
import { repoRoot } from "../lib/paths.js";

/** What one run of a contender reads and where it writes. */
export interface PeerRunInput {
  url: string;
  stream: string;
  /** The stream's one subject. */
  subject: string;
  /** A durable consumer name no earlier run used. */
  durable: string;
  /** The core subject its rows go to (the benchmark listens there). */
  outSubject: string;
  /** A folder for its files (removed with the server). */
  dir: string;
  /** Unique per run: `weir-2` etc. */
  runId: string;
}

export interface PeerLaunch {
  command: string;
  args: string[];
  /** True for the line the process prints once its consumer reads. */
  ready(line: string): boolean;
}

export interface Peer {
  readonly name: string;
  /** What it is, for tables: e.g. "weir edge (WASM kernel)". */
  readonly title: string;
  /** How it is built and measured, for the docs. */
  readonly method: string;
  /** Why it cannot run here, or null when it can. */
  unavailable(): string | null;
  launch(input: PeerRunInput): PeerLaunch;
}

/** Messages a client holds ahead of its pipeline (weir's `maxInFlight`, `consume({ max_messages })` of the others). */
export const MAX_IN_FLIGHT = 1000;

export const WEIR = "weir-edge";
export const RXJS = "rxjs";
export const NODE_RED = "node-red";

export function weirSpec(input: PeerRunInput): object {
  return {
    name: "peers",
    mode: "continuous",
    time: { field: "ts", maxOutOfOrderness: `${MAX_OUT_OF_ORDERNESS_MS / 1000}s` },
    key: "deviceId",
    window: { tumbling: `${WINDOW_MS / 1000}s` },
    aggregate: { n: "count()", avg_temp: "avg(temp)", max_temp: "max(temp)" },
    source: { jetstream: { stream: input.stream, subjects: [input.subject], durable: input.durable, codec: "msgpack", maxInFlight: MAX_IN_FLIGHT } },
    sink: { nats: { subject: input.outSubject, codec: "json" } },
    checkpoint: { interval: "10s" },
  };
}

export const weirPeer: Peer = {
  name: WEIR,
  title: "`weir edge`, continuous mode, WASM kernel",
  method:
    "`node bin/weir.js edge <spec> --nats <url> --name <run>`: one pipeline, continuous mode and the WASM kernel (the defaults); " +
    `JetStream source (its durable pull consumer, AckPolicy.All, \`maxInFlight: ${MAX_IN_FLIGHT}\`, msgpack), watermark max ts − 2 s − 1, ` +
    "key deviceId, tumbling 10 s windows with `count()`, `avg(temp)`, `max(temp)`, rows to a core NATS sink (`sink.nats`, JSON), " +
    'checkpoints every 10 s to the server\'s KV bucket, source acknowledged after each checkpoint. The clock starts at its `"msg":"pipeline running"` line.',
  unavailable: () => (existsSync(join(repoRoot(), "dist", "edge", "cli", "main.js")) ? null : "weir is not built (npm run build)"),
  launch(input) {
    const spec = join(input.dir, `${input.runId}.json`);
    writeFileSync(spec, JSON.stringify(weirSpec(input), null, 2) + "\n");
    return {
      command: process.execPath,
      args: [join(repoRoot(), "bin", "weir.js"), "edge", spec, "--nats", input.url, "--name", input.runId],
      ready: (line) => line.includes('"msg":"pipeline running"'),
    };
  },
};

/** The compiled RxJS pipeline next to this file (dist/bench/peers/rxjs-pipeline.js). */
const rxjsProgram = (): string => fileURLToPath(new URL("./rxjs-pipeline.js", import.meta.url));

export const rxjsPeer: Peer = {
  name: RXJS,
  title: "RxJS 7 pipeline on nats.js",
  method:
    "`bench/peers/rxjs-pipeline.ts` in its own Node.js process: a durable pull consumer (AckPolicy.Explicit, " +
    `\`consume({ max_messages: ${MAX_IN_FLIGHT} })\`) wrapped with \`from()\`, each message acknowledged as it is unpacked (msgpackr) and ` +
    "flattened into records (`mergeMap`), `groupBy(deviceId)`, then inside each device `groupBy(window start from ts)` whose " +
    "`duration` ends when the watermark (max ts − 2 s − 1, a `scan` over the shared record stream) passes the window's last " +
    "millisecond; `reduce` gives count/avg/max and each row is published as JSON on a core subject with `nc.publish`. " +
    "RxJS's `bufferTime`/`windowTime` cut by processing time, which on a stream read back at full speed folds minutes of event " +
    "time into one window, so the windows follow event time as above. It does not set late records aside (a record for a window " +
    "that has closed would open it again); the data has none. The clock starts when it prints that its consumer reads.",
  unavailable: () => (existsSync(rxjsProgram()) ? null : `${rxjsProgram()} is missing (npm run build)`),
  launch(input) {
    return {
      command: process.execPath,
      args: [rxjsProgram(), "--nats", input.url, "--stream", input.stream, "--durable", input.durable, "--out", input.outSubject],
      ready: (line) => line.includes('"msg":"consuming"'),
    };
  },
};

const nodeRedDir = (): string => join(repoRoot(), "bench", "peers", "node-red");
const nodeRedMain = (): string => join(repoRoot(), "node_modules", "node-red", "red.js");

interface FlowNode {
  type: string;
  env?: { name: string; value: string; type: string }[];
}

export const nodeRedPeer: Peer = {
  name: NODE_RED,
  title: "Node-RED 4 flow: core split node and function nodes",
  method:
    "Node-RED run headless (`node node_modules/node-red/red.js --settings bench/peers/node-red/settings.cjs --userDir <tmp> " +
    "<tmp>/flows.json`, a copy of `bench/peers/node-red/flows.json` with the run's server, durable and subject in the flow's env). " +
    "The flow: an inject node (once at start) → function node *JetStream in* (nats.js from `functionGlobalContext`: a durable pull " +
    `consumer, AckPolicy.Explicit, \`consume({ max_messages: ${MAX_IN_FLIGHT} })\`, one Node-RED message per NATS message with the ` +
    "unpacked array, `node.send(msg, false)`, then `m.ack()`) → the core **split** node (one message per record) → function node " +
    "*tumbling 10 s by event time* (per window start a Map of deviceId → count/sum/max in the node's context, watermark max ts − 2 s − 1, " +
    "closed windows returned as one message per row) → function node *NATS out* (`nc.publish` of the row as JSON on a core subject). " +
    "The clock starts at the log line the *JetStream in* node writes once its consumer reads.",
  unavailable() {
    if (!existsSync(nodeRedMain())) return "node-red is not installed (npm install)";
    return null;
  },
  launch(input) {
    const userDir = join(input.dir, `${input.runId}-userdir`);
    mkdirSync(userDir, { recursive: true });
    const flows = JSON.parse(readFileSync(join(nodeRedDir(), "flows.json"), "utf8")) as FlowNode[];
    const values: Record<string, string> = { NATS_URL: input.url, STREAM: input.stream, DURABLE: input.durable, OUT_SUBJECT: input.outSubject };
    for (const n of flows) if (n.type === "tab") for (const e of n.env ?? []) if (e.name in values) e.value = values[e.name]!;
    const flowFile = join(userDir, "flows.json");
    writeFileSync(flowFile, JSON.stringify(flows, null, 2) + "\n");
    return {
      command: process.execPath,
      args: [nodeRedMain(), "--settings", join(nodeRedDir(), "settings.cjs"), "--userDir", userDir, flowFile],
      ready: (line) => line.includes(`consuming ${input.durable}`),
    };
  },
};

export const PEERS: readonly Peer[] = [weirPeer, rxjsPeer, nodeRedPeer];
