/**
 * `weir demo`: the quick start. Simulated sensors (some records out of
 * order, a few late) feed a keyed tumbling-window pipeline on an edge node
 * with its dashboard; each window's rows are printed as it fires, with a
 * one-line summary per window. No NATS needed.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseDuration, UsageError, type Mode, type ResultRow } from "../../src/runtime.js";
import { EdgeNode } from "../runtime/edge-node.js";
import { createLogger } from "../runtime/log.js";
import { count } from "./progress.js";
import { DEMO_USAGE, parseKernel } from "./usage.js";

const SPEED = 5;
const RATE = 400;

export async function demoCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { mode: { type: "string" }, duration: { type: "string" }, kernel: { type: "string" }, http: { type: "string" }, "no-http": { type: "boolean" } },
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${DEMO_USAGE}`);
  }
  const mode = (values.mode ?? "continuous") as Mode;
  if (mode !== "continuous" && mode !== "micro-batch") throw new UsageError(`--mode must be continuous or micro-batch, got "${mode}"`);
  const kernel = parseKernel(values.kernel);
  const duration = parseDuration(values.duration ?? "12s");
  if (typeof duration === "string" || duration <= 0) throw new UsageError(`--duration: ${duration}`);

  const rowsFile = join(tmpdir(), "weir-demo-rows.jsonl");
  const spec = {
    name: "demo",
    mode,
    trigger: "200ms",
    time: { field: "ts", maxOutOfOrderness: "2s" },
    key: "deviceId",
    window: { tumbling: "5s" },
    allowedLateness: "2s",
    aggregate: { n: "count()", avg_temp: "avg(temp)", min_temp: "min(temp)", max_temp: "max(temp)", p95_temp: "quantile(temp, 0.95)" },
    source: { generator: { sensors: 8, rate: RATE, speed: SPEED, outOfOrder: 0.1, late: 0.01, maxDelay: "2s", records: Math.floor((RATE * duration) / 1000), seed: 7 } },
    sink: { file: { path: rowsFile } },
  };
  const out = process.stdout;
  out.write(
    `weir demo: ${RATE} readings/s from 8 simulated sensors (event time runs ${SPEED}x real time; ~10% out of order, ~1% late)\n` +
      `pipeline: key deviceId, tumbling 5s windows, watermark 2s behind, allowed lateness 2s, ${mode} mode, ${kernel} kernel\n`,
  );

  const log = createLogger({ level: "error" });
  const node = await EdgeNode.start({ specs: [{ text: JSON.stringify(spec), file: "demo.json" }], name: "demo", kernel, log, keepAlive: !values["no-http"] });
  let http: { url: string; close(): Promise<void> } | null = null;
  if (!values["no-http"]) {
    const { startHttpServer } = await import("../http/server.js");
    const listen = values.http ?? "127.0.0.1:7070";
    http = await startHttpServer(node, { listen, log }).catch(() => startHttpServer(node, { listen: "127.0.0.1:0", log }));
    out.write(`dashboard: ${http.url}/  (open it while the demo runs)\n`);
  }
  out.write(`running for ${duration / 1000} s; rows also go to ${rowsFile}\n\n`);

  const pipeline = node.get("demo").pipeline;
  const printer = windowPrinter(out, () => pipeline.metrics().late);
  pipeline.onRow(printer.add);
  const started = performance.now();
  while (pipeline.status !== "stopped" && pipeline.status !== "failed") await new Promise((r) => setTimeout(r, 100));
  printer.flush();
  const c = pipeline.metrics();
  out.write(
    `done: ${count(c.recordsIn)} records in, ${count(c.rowsOut)} rows out, ${count(c.late)} late, ` +
      `${count(c.deadLettered)} dead-lettered, ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
      `state at the end: ${count(c.openWindows)} open windows\n` +
      `next: replay files with \`weir run\` (docs/cli.md), run pipelines on NATS with \`weir edge\` (docs/edge.md), or see examples/\n`,
  );
  if (http && process.stdout.isTTY) {
    out.write(`the dashboard stays up at ${http.url}/ — press Ctrl-C to exit\n`);
    await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
  }
  await http?.close();
  await node.stop();
  return pipeline.status === "failed" ? 1 : 0;
}

/** Prints rows grouped by window, one summary line per firing, shortly after a burst of rows. */
function windowPrinter(out: NodeJS.WriteStream, late: () => number) {
  let pending: ResultRow[] = [];
  let timer: NodeJS.Timeout | null = null;
  const firedWindows = new Set<number>();
  const time = (ms: number) => new Date(ms).toISOString().slice(11, 23);
  const fmt = (v: unknown) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : String(v));
  const flush = () => {
    timer = null;
    const byWindow = new Map<number, ResultRow[]>();
    for (const r of pending) {
      const k = r.window_start as number;
      byWindow.set(k, [...(byWindow.get(k) ?? []), r]);
    }
    pending = [];
    for (const [start, rows] of byWindow) {
      for (const r of rows) out.write(`  ${r.deviceId}  n=${fmt(r.n)}  avg=${fmt(r.avg_temp)}  min=${fmt(r.min_temp)}  max=${fmt(r.max_temp)}  p95=${fmt(r.p95_temp)}\n`);
      const records = rows.reduce((s, r) => s + (r.n as number), 0);
      const what = firedWindows.has(start) ? "late firing (updated rows)" : "fired";
      firedWindows.add(start);
      out.write(
        `▸ window [${time(start)}, ${time(rows[0]!.window_end as number)}) ${what}: ` +
          `${rows.length} key${rows.length === 1 ? "" : "s"}, ${records} records; dropped as too late so far: ${late()}\n\n`,
      );
    }
  };
  return {
    add: (row: ResultRow) => {
      pending.push(row);
      timer ??= setTimeout(flush, 20);
    },
    flush: () => {
      if (timer) clearTimeout(timer);
      flush();
    },
  };
}
