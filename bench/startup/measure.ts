/**
 * The start-up benchmark's runs. Each run spawns three processes in turn,
 * each with a fresh Node.js:
 *
 * - `node`: `node -e` that prints a line and idles: Node's own start-up;
 * - `nats.js`: `node -e` that connects to the server, reads the first
 *   message of the input stream (an ordered consumer) and publishes it to
 *   a subject the benchmark listens on: the least a NATS client does;
 * - `weir edge`: `node bin/weir.js edge <spec>` with one pipeline whose
 *   JetStream source reads the same stream, filled before any run: 300
 *   records in one 1 s window and one record after it, which closes the
 *   window as soon as it is read (no race with the process's start). Its
 *   rows go to a core NATS subject the benchmark listens on.
 *
 * Timed from just before spawn to the first message (`nats.js`) or row
 * (`weir edge`) arriving in the benchmark process, or to the first line
 * (`node`). Then, after {@link SETTLE_MS} of idling, VmRSS of the process.
 */
import { jetstream, jetstreamManager, StorageType } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { pack } from "msgpackr";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { WeirError } from "../../src/index.js";
import { describeExit, spawnChild } from "../edge/child.js";
import { repoRoot } from "../lib/paths.js";
import { raceChild } from "../edge/child.js";
import { sleep, statusMiB } from "../latency/proc.js";

export type StartupContender = "node" | "nats.js" | "weir edge";
export const CONTENDERS: readonly StartupContender[] = ["node", "nats.js", "weir edge"];

const STREAM = "STARTUP_IN";
const IN_SUBJECT = "bench.startup.in";
/** Records in the window that the stream's last record closes (one per key). */
export const KEYS = 300;
/** 2025-01-01T00:00:00Z. */
const START_TS = Date.UTC(2025, 0, 1);
/** Idle time after the first result before VmRSS is read. */
export const SETTLE_MS = 1000;
const LIMIT_MS = 60_000;

/** One run of one contender. */
export interface StartupSample {
  contender: StartupContender;
  /** Spawn to the first result in the benchmark process (ms). */
  firstResultMs: number;
  /** weir edge: spawn to its "pipeline running" line (ms); null for the others. */
  readyLineMs: number | null;
  /** VmRSS after idling, its anonymous and file-backed parts, and VmHWM (peak) at that moment (MiB). */
  idleRssMiB: number | null;
  anonRssMiB: number | null;
  fileRssMiB: number | null;
  peakRssMiB: number | null;
}

const NODE_SCRIPT = `console.log("node ready"); setInterval(() => {}, 1 << 30);`;

/** argv: url, stream, subject to publish the message to. */
const NATS_SCRIPT = [
  `import { connect } from "@nats-io/transport-node";`,
  `import { jetstream } from "@nats-io/jetstream";`,
  `const [url, stream, to] = process.argv.slice(1);`,
  `const nc = await connect({ servers: url, noAsyncTraces: true });`,
  `const c = await jetstream(nc).consumers.get(stream);`,
  `const m = await c.next({ expires: 10000 });`,
  `if (!m) { console.error("no message"); process.exit(1); }`,
  `nc.publish(to, m.data);`,
  `await nc.flush();`,
  `setInterval(() => {}, 1 << 30);`,
].join("\n");

/** Creates the input stream: KEYS records in [START_TS, START_TS + 1 s), then one record that closes that window. */
export async function fillStream(nc: NatsConnection): Promise<number> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: STREAM, subjects: [IN_SUBJECT], storage: StorageType.File });
  const js = jetstream(nc);
  const acks: Promise<unknown>[] = [];
  for (let k = 0; k < KEYS; k++) acks.push(js.publish(IN_SUBJECT, pack({ deviceId: `dev-${String(k).padStart(3, "0")}`, ts: START_TS + k, temp: 20 + k / 100 })));
  acks.push(js.publish(IN_SUBJECT, pack({ deviceId: "dev-000", ts: START_TS + 1000, temp: 20 })));
  await Promise.all(acks);
  return KEYS + 1;
}

export function weirSpec(out: string): object {
  return {
    name: "startup",
    mode: "continuous",
    time: { field: "ts", maxOutOfOrderness: 0 },
    key: "deviceId",
    window: { tumbling: "1s" },
    aggregate: { n: "count()", avg_temp: "avg(temp)", max_temp: "max(temp)" },
    source: { jetstream: { stream: STREAM, codec: "msgpack" } },
    sink: { nats: { subject: out, codec: "json" } },
  };
}

/** Spawns one contender, times it, reads its memory, stops it. `run` makes subjects and names unique. */
export async function runOnce(nc: NatsConnection, url: string, dir: string, contender: StartupContender, run: string): Promise<StartupSample> {
  const out = `bench.startup.out.${run}`;
  let args: string[];
  let readyLine: string;
  if (contender === "node") {
    args = ["-e", NODE_SCRIPT];
    readyLine = "node ready";
  } else if (contender === "nats.js") {
    args = ["--input-type=module", "-e", NATS_SCRIPT, url, STREAM, out];
    readyLine = "";
  } else {
    const spec = join(dir, `startup-${run}.json`);
    writeFileSync(spec, JSON.stringify(weirSpec(out), null, 2) + "\n");
    // a new edge name per run: its own durable and no checkpoint to resume from
    args = [join(repoRoot(), "bin", "weir.js"), "edge", spec, "--nats", url, "--name", `startup-${run}`];
    readyLine = '"msg":"pipeline running"';
  }

  let gotFirst: (t: number) => void = () => {};
  const first = new Promise<number>((r) => (gotFirst = r));
  const sub = nc.subscribe(out, { max: 1, callback: () => gotFirst(performance.now()) });
  await nc.flush();
  const marks = { readyAt: null as number | null };
  const t0 = performance.now();
  const child = spawnChild(process.execPath, args, {
    cwd: repoRoot(),
    timeoutMs: LIMIT_MS * 2,
    onLine: (line) => {
      if (marks.readyAt === null && readyLine !== "" && line.includes(readyLine)) {
        marks.readyAt = performance.now();
        if (contender === "node") gotFirst(marks.readyAt);
      }
    },
  });
  try {
    const t1 = await raceChild(child, first, LIMIT_MS, `${contender} gave no result`);
    await sleep(SETTLE_MS);
    if (child.hasExited()) throw new WeirError("BENCH_CHILD", `${contender} exited while idling (${describeExit(await child.exited)}):\n${child.tail()}`);
    const idleRssMiB = statusMiB(child.pid, "VmRSS");
    const anonRssMiB = statusMiB(child.pid, "RssAnon");
    const fileRssMiB = statusMiB(child.pid, "RssFile");
    const peakRssMiB = statusMiB(child.pid, "VmHWM");
    const status = await child.stop(10_000);
    if (contender === "weir edge" && status.code !== 0) throw new WeirError("BENCH_CHILD", `weir edge did not exit 0 after SIGTERM (${describeExit(status)}):\n${child.tail()}`);
    return {
      contender,
      firstResultMs: t1 - t0,
      readyLineMs: contender === "weir edge" && marks.readyAt !== null ? marks.readyAt - t0 : null,
      idleRssMiB,
      anonRssMiB,
      fileRssMiB,
      peakRssMiB,
    };
  } finally {
    sub.unsubscribe();
    if (!child.hasExited()) await child.stop(5000);
  }
}
