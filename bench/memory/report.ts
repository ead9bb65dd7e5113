/** The memory benchmark's tables: plain text for stdout, a section of docs/benchmarks.md, a chart. */
import { int, markdownTable, textTable, type Align } from "../lib/report.js";
import { writeChart } from "../lib/svg.js";
import { CHECKPOINT_INTERVAL, MAX_OUT_OF_ORDERNESS, USERS } from "./cases.js";
import { SETTLE } from "./measure.js";
import type { CaseResult, MemoryRun, Target } from "./run-record.js";

const MiB = 2 ** 20;
const mib = (b: number) => (b / MiB).toFixed(1);
const mb = (b: number) => (b / 1e6).toFixed(1);
const bytes = (b: number | null) => (b === null ? "—" : b.toFixed(1));
const keys = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));

const HEAD = ["keys", "open windows", "state bytes", "B/window", "RSS MiB", "RSS growth/key", "beyond state/key", "JS heap/key", "WASM slack/key", "other/key", "peak RSS MiB", "ingest s"];
const ALIGN: Align[] = HEAD.map(() => "r");

function rows(c: CaseResult): string[][] {
  const idle = ["idle", "0", int(c.idleStateBytes), "", mib(c.idleSettled), ...HEAD.slice(5).map(() => "")];
  return [
    idle,
    ...c.levels.map((l) => [
      keys(l.keys),
      int(l.openWindows),
      int(l.stateBytes),
      l.bytesPerWindow.toFixed(1),
      mib(l.rss),
      l.rssGrowthPerKey.toFixed(0),
      l.beyondStatePerKey.toFixed(0),
      l.jsHeapPerKey.toFixed(0),
      l.wasmSlackPerKey === null ? "—" : l.wasmSlackPerKey.toFixed(0),
      l.otherPerKey === null ? "—" : l.otherPerKey.toFixed(0),
      mib(l.peakRss),
      l.ingestSeconds.toFixed(1),
    ]),
  ];
}

const verdict = (t: Target) => (t.met ? "**met**" : "**not met**");

function targetLines(run: MemoryRun): string[] {
  const { idleRss, bytesPerWindow } = run.targets;
  const scalar = run.cases.find((c) => c.case === "scalar");
  const per = scalar ? scalar.levels.map((l) => `${bytes(l.bytesPerWindow)} B at ${keys(l.keys)} keys`).join(", ") : "";
  return [
    `- ${idleRss.what} < ${idleRss.limit} MB: ${mib(run.idle.rss)} MiB = ${mb(run.idle.rss)} MB (anonymous ${mib(run.idle.rssAnon)} MiB, ` +
      `file-backed ${mib(run.idle.rssFile)} MiB: mostly the node binary's pages, shared with other node processes): ${verdict(idleRss)}.`,
    `- ${bytesPerWindow.what} ≤ ${bytesPerWindow.limit} B: ${per}: ${verdict(bytesPerWindow)}.`,
  ];
}

export function memoryText(run: MemoryRun): string {
  const out: string[] = [`memory${run.quick ? " (--quick)" : ""}: one weir edge process per case, levels ${run.conditions.levels.map(keys).join(", ")} keys`];
  out.push(`idle (plain process, scalar pipeline): VmRSS ${mib(run.idle.rss)} MiB (anonymous ${mib(run.idle.rssAnon)}, file-backed ${mib(run.idle.rssFile)})`);
  for (const c of run.cases) {
    out.push("", `${c.case}: ${c.title}`, textTable(HEAD, rows(c), ALIGN));
  }
  out.push("", "targets:");
  const { idleRss, bytesPerWindow } = run.targets;
  out.push(`  ${idleRss.what}: ${mib(run.idle.rss)} MiB = ${mb(run.idle.rss)} MB (target < ${idleRss.limit} MB): ${idleRss.met ? "met" : "NOT met"}`);
  out.push(`  ${bytesPerWindow.what}: ${bytesPerWindow.value.toFixed(1)} B at most (target ≤ ${bytesPerWindow.limit} B): ${bytesPerWindow.met ? "met" : "NOT met"}`);
  return out.join("\n");
}

export function memoryMarkdown(run: MemoryRun): string {
  const date = run.machine.date.slice(0, 10);
  const m = run.machine;
  const co = run.conditions;
  const chart = writeChart("memory", {
    title: "Bytes per open (key, window), newest run",
    unit: "bytes per key (one open window each)",
    reference: { value: run.targets.bytesPerWindow.limit, label: `${run.targets.bytesPerWindow.limit} B target` },
    bars: run.cases.flatMap((c) =>
      c.levels.flatMap((l) => [
        { label: `${c.case}, ${keys(l.keys)} keys: state`, value: l.bytesPerWindow, note: `${l.bytesPerWindow.toFixed(0)} B`, group: "state bytes / open window" },
        { label: `${c.case}, ${keys(l.keys)} keys: RSS`, value: Math.max(0, l.rssGrowthPerKey), note: `${l.rssGrowthPerKey.toFixed(0)} B`, group: "RSS growth / key" },
      ]),
    ),
  });
  const out = [
    "## memory: state and RSS per open window",
    "",
    `What one \`weir edge\` process holds in memory when idle and with 10k to 1M active keys, each with one open (key, window). Newest run: ${date}${run.quick ? " (`--quick`: rougher, fewer levels)" : ""}.`,
    "",
    "### Conditions",
    "",
    `- **Process**: \`node bin/weir.js edge <spec> --http 127.0.0.1:<port>\`, one pipeline per process, continuous mode, WASM kernel (the defaults), ` +
      "`source: { http: {} }`, console sink, no NATS. Key `deviceId`, tumbling 1 min windows, " +
      `\`maxOutOfOrderness: ${MAX_OUT_OF_ORDERNESS}\`, \`checkpoint.interval: ${CHECKPOINT_INTERVAL}\`: without NATS or \`--data-dir\` a node keeps ` +
      "its last checkpoint in its own memory (an encoded copy of the whole state, taken every 10 s by default); the long interval keeps that copy out of these figures.",
    `- **Cases**: ${run.cases.map((c) => `\`${c.case}\` (${c.title})`).join("; ")}. Each case runs in its own process.`,
    `- **Data**: one record per key, \`{ deviceId: "dev-000123", ts, temp${run.cases.some((c) => c.case === "sketches") ? `, user` : ""} }\` ` +
      `(\`user\` in the sketches case only, ${USERS} distinct values), every \`ts\` in the same minute, so each key holds exactly one open (key, window) ` +
      `and nothing fires (a sketch therefore holds one value). Levels ${co.levels.map(keys).join(", ")} keys, cumulative: each level posts the keys it lacks ` +
      `to \`POST /ingest/<pipeline>\` as msgpack arrays of ${int(co.batch)} records, one request at a time; then waits until \`/metrics\` shows every record processed.`,
    "- **Readings** per level: `weir_open_windows` and `weir_state_bytes` from `/metrics` (the run fails unless open windows equal the keys, " +
      "with no late or dead-lettered record); VmRSS and VmHWM from `/proc/<pid>/status`; the resident part of the WebAssembly memory from `/proc/<pid>/smaps`. " +
      `RSS right after ingest still holds garbage (decoded records, request bodies) that V8 collects when it likes, so the case processes preload a hook (\`${co.gcHook}\`, ` +
      "`--expose-gc`) that runs a full GC on SIGUSR2 and reports `process.memoryUsage()`; RSS is read after forced GCs " +
      `(${SETTLE.pauseMs} ms apart) once two readings differ by ≤ ${SETTLE.toleranceBytes / MiB} MiB (at most ${SETTLE.rounds} rounds). ` +
      "The idle RSS of the target is read from a plain process without the hook, 1 s after `/readyz` answers ready.",
    `- **Machine**: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, msgpackr ${co.msgpackr}. Shared with other work; memory figures vary less than timings, but RSS moves by a few MiB between runs.`,
    "",
    "### Targets (this machine)",
    "",
    ...targetLines(run),
    "",
    "### Results",
    "",
    "B/window: state bytes ÷ open windows (the kernel's own accounting: entries, the hash tables of slices whose keys moved on to a newer slice, per-key arrays, sketch buffers; not the free capacity of its pools). " +
      "RSS: after forced GCs; RSS growth/key: its growth over the same process's idle RSS, ÷ keys. beyond state/key: RSS growth minus state-bytes growth, ÷ keys: " +
      "what a key costs outside the kernel's state, the key dictionary above all. It splits into JS heap/key (growth of the JS heap in use plus ArrayBuffers after a full GC: " +
      "the key dictionary's map, key strings and rank arrays) and WASM slack/key (resident WebAssembly memory beyond state bytes: pool capacity not yet used and blocks freed when pools doubled); " +
      "other/key: the remainder (V8 heap pages committed but unused after the GC, allocator arenas, compiled code). The idle row is the same process before any record, after one `GET /pipelines` (a node loads its HTTP API with the first request other than the probes and metrics; the idle row holds it, so per-key figures do not) and forced GCs. " +
      "peak RSS: VmHWM, the highest RSS of the process so far. Per-key figures in bytes; at 10k keys they also carry fixed costs of the first requests.",
    "",
  ];
  for (const c of run.cases) {
    out.push(`#### ${c.case}: ${c.title}`, "", markdownTable(HEAD, rows(c), ALIGN), "");
  }
  out.push(chart);
  return out.join("\n");
}
