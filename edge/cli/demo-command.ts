/**
 * `weir demo`: the quick start. Simulated sensors (some records out of
 * order, a few late) feed a keyed tumbling-window pipeline; each window's
 * rows are printed as it fires, with a one-line summary per window.
 */
import { parseArgs } from "node:util";
import { parseDuration, pipeline, UsageError, type Mode, type ResultRow } from "../../src/index.js";
import { runLive } from "../runtime/live-pipeline.js";
import { generatorSource } from "../sources/generator-source.js";
import { bytes, count } from "./progress.js";
import { parseKernel } from "./run-command.js";

const SPEED = 5;

export async function demoCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { mode: { type: "string" }, duration: { type: "string" }, kernel: { type: "string" } } }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\nusage: weir demo [--mode continuous|micro-batch] [--duration 12s] [--kernel wasm|ts]`);
  }
  const mode = (values.mode ?? "continuous") as Mode;
  if (mode !== "continuous" && mode !== "micro-batch") throw new UsageError(`--mode must be continuous or micro-batch, got "${mode}"`);
  const kernel = parseKernel(values.kernel);
  const duration = parseDuration(values.duration ?? "12s");
  if (typeof duration === "string" || duration <= 0) throw new UsageError(`--duration: ${duration}`);

  const plan = pipeline("demo")
    .mode(mode)
    .trigger("200ms")
    .eventTime("ts", { maxOutOfOrderness: "2s" })
    .key("deviceId")
    .tumbling("5s")
    .allowedLateness("2s")
    .aggregate({
      n: "count()",
      avg_temp: "avg(temp)",
      min_temp: "min(temp)",
      max_temp: "max(temp)",
      p95_temp: "quantile(temp, 0.95)",
    })
    .build();

  const rate = 400;
  const out = process.stdout;
  out.write(
    `weir demo: ${rate} readings/s from 8 simulated sensors (event time runs ${SPEED}x real time; ~10% out of order, ~1% late)\n` +
      `pipeline: key deviceId, tumbling 5s windows, watermark 2s behind, allowed lateness 2s, ${mode} mode\n` +
      `running for ${duration / 1000} s...\n\n`,
  );
  let pending: ResultRow[] = [];
  let lateSeen = 0;
  const firedWindows = new Set<number>();
  const time = (ms: number) => new Date(ms).toISOString().slice(11, 23);
  const fmt = (v: unknown) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : String(v));
  const flush = () => {
    const byWindow = new Map<string, ResultRow[]>();
    for (const r of pending) {
      const k = `${r.window_start}`;
      byWindow.set(k, [...(byWindow.get(k) ?? []), r]);
    }
    pending = [];
    for (const rows of byWindow.values()) {
      for (const r of rows) {
        out.write(`  ${r.deviceId}  n=${fmt(r.n)}  avg=${fmt(r.avg_temp)}  min=${fmt(r.min_temp)}  max=${fmt(r.max_temp)}  p95=${fmt(r.p95_temp)}\n`);
      }
      const records = rows.reduce((s, r) => s + (r.n as number), 0);
      const start = rows[0]!.window_start as number;
      const what = firedWindows.has(start) ? "late firing (updated rows)" : "fired";
      firedWindows.add(start);
      out.write(
        `▸ window [${time(start)}, ${time(rows[0]!.window_end as number)}) ${what}: ` +
          `${rows.length} key${rows.length === 1 ? "" : "s"}, ${records} records; dropped as too late so far: ${lateSeen}\n\n`,
      );
    }
  };

  const signal = AbortSignal.timeout(duration);
  const source = generatorSource({ sensors: 8, rate, speed: SPEED, outOfOrder: 0.1, late: 0.01, maxDelay: 2000, records: Math.floor((rate * duration) / 1000), seed: 7 }, signal);
  const started = performance.now();
  const op = await runLive(plan, source, {
    sink: { row: (r) => pending.push(r), late: () => lateSeen++ },
    afterStep: flush,
    signal,
    kernel,
  });
  const c = op.metrics();
  out.write(
    `done: ${count(c.recordsIn)} records in, ${count(c.rowsOut)} rows out, ${count(c.late)} late, ` +
      `${count(c.deadLettered)} dead-lettered, ${((performance.now() - started) / 1000).toFixed(1)} s (${kernel} kernel); ` +
      `state at peak: ${count(c.peakOpenWindows)} open windows, ${bytes(c.peakStateBytes)}\n` +
      `next: replay files with \`weir run\` (docs/cli.md), or see examples/ for runnable specs\n`,
  );
  return 0;
}
