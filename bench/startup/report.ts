/** The start-up benchmark's run record and tables: plain text for stdout, a section of docs/benchmarks.md, a chart. */
import type { Machine } from "../lib/machine.js";
import { markdownTable, textTable, type Align } from "../lib/report.js";
import { writeChart } from "../lib/svg.js";
import { median } from "../lib/stats.js";
import type { StartupContender, StartupSample } from "./measure.js";

/** Target: idle RSS of `weir edge` with one pipeline below this many MB (10^6 bytes). */
export const RSS_TARGET_MB = 60;

export interface StartupSummary {
  contender: StartupContender;
  runs: number;
  firstResultMs: { median: number; min: number; max: number };
  readyLineMs: number | null;
  idleRssMiB: number | null;
  anonRssMiB: number | null;
  fileRssMiB: number | null;
  peakRssMiB: number | null;
}

export interface StartupRun {
  machine: Machine;
  quick: boolean;
  conditions: { runs: number; warmupRounds: number; settleMs: number; keys: number; streamMessages: number };
  versions: { natsServer: string; natsJs: string; msgpackr: string };
  samples: StartupSample[];
  summary: StartupSummary[];
  target: { idleRssMB: number; measuredMB: number | null; met: boolean | null };
}

const r1 = (x: number) => Number(x.toFixed(1));
const MIB = 2 ** 20;

function medianOf(xs: (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? r1(median(v)) : null;
}

export function summarize(samples: StartupSample[], contenders: readonly StartupContender[]): StartupSummary[] {
  return contenders.map((contender) => {
    const s = samples.filter((x) => x.contender === contender);
    const t = s.map((x) => x.firstResultMs);
    return {
      contender,
      runs: s.length,
      firstResultMs: { median: r1(median(t)), min: r1(Math.min(...t)), max: r1(Math.max(...t)) },
      readyLineMs: medianOf(s.map((x) => x.readyLineMs)),
      idleRssMiB: medianOf(s.map((x) => x.idleRssMiB)),
      anonRssMiB: medianOf(s.map((x) => x.anonRssMiB)),
      fileRssMiB: medianOf(s.map((x) => x.fileRssMiB)),
      peakRssMiB: medianOf(s.map((x) => x.peakRssMiB)),
    };
  });
}

export function rssTarget(summary: StartupSummary[]): StartupRun["target"] {
  const w = summary.find((s) => s.contender === "weir edge")?.idleRssMiB ?? null;
  const mb = w === null ? null : r1((w * MIB) / 1e6);
  return { idleRssMB: RSS_TARGET_MB, measuredMB: mb, met: mb === null ? null : mb < RSS_TARGET_MB };
}

const WHAT: Record<StartupContender, string> = {
  node: "`node -e`: print a line",
  "nats.js": "`node -e`: nats.js connects, reads one message",
  "weir edge": "`weir edge`, one pipeline: first result row",
};

const HEAD = ["process", "first result ms (median)", "min–max ms", "\"pipeline running\" ms", "idle RSS MiB", "anon + file MiB", "peak RSS MiB"];
const ALIGN: Align[] = ["l", "r", "r", "r", "r", "r", "r"];

function rows(run: StartupRun, md: boolean): string[][] {
  const f = (x: number | null) => (x === null ? "—" : x.toFixed(1));
  return run.summary.map((s) => [
    md ? WHAT[s.contender] : s.contender,
    s.firstResultMs.median.toFixed(0),
    `${s.firstResultMs.min.toFixed(0)}–${s.firstResultMs.max.toFixed(0)}`,
    s.readyLineMs === null ? "—" : s.readyLineMs.toFixed(0),
    f(s.idleRssMiB),
    s.anonRssMiB === null || s.fileRssMiB === null ? "—" : `${f(s.anonRssMiB)} + ${f(s.fileRssMiB)}`,
    f(s.peakRssMiB),
  ]);
}

function targetLine(run: StartupRun): string {
  const t = run.target;
  if (t.measuredMB === null) return `Target idle RSS < ${t.idleRssMB} MB: not measured (no /proc).`;
  const w = run.summary.find((s) => s.contender === "weir edge")!;
  return `Target idle RSS of \`weir edge\` < ${t.idleRssMB} MB: **${t.met ? "met" : "not met"}** (${w.idleRssMiB!.toFixed(1)} MiB = ${t.measuredMB.toFixed(1)} MB).`;
}

export function startupText(run: StartupRun): string {
  return [
    `startup: spawn → first result, median of ${run.conditions.runs} runs${run.quick ? " (--quick)" : ""}; RSS after ${run.conditions.settleMs} ms idle`,
    "",
    textTable(HEAD, rows(run, false), ALIGN),
    "",
    targetLine(run).replace(/\*\*|`/g, ""),
  ].join("\n");
}

function chart(run: StartupRun): string {
  const bars = run.summary.flatMap((s) => {
    const out = s.readyLineMs === null ? [] : [{ label: `${s.contender}: "pipeline running"`, value: s.readyLineMs, note: `${s.readyLineMs.toFixed(0)} ms`, group: "log line" }];
    out.push({ label: `${s.contender}: first result`, value: s.firstResultMs.median, note: `${s.firstResultMs.median.toFixed(0)} ms`, group: "first result" });
    return out;
  });
  return writeChart("startup", { title: "Spawn → first result (ms, median, lower is better)", unit: "milliseconds from spawn", bars });
}

export function startupMarkdown(run: StartupRun): string {
  const c = run.conditions;
  const m = run.machine;
  const weir = run.summary.find((s) => s.contender === "weir edge");
  const nats = run.summary.find((s) => s.contender === "nats.js");
  const node = run.summary.find((s) => s.contender === "node");
  const over = weir && nats ? weir.firstResultMs.median - nats.firstResultMs.median : null;
  return [
    "## startup: from spawn to the first result row, and idle memory",
    "",
    "How long `weir edge` takes from being spawned to its first result row, next to a bare Node.js process that connects to NATS " +
      "and receives one message, and how much memory it holds once idle. " +
      `Newest run: ${m.date.slice(0, 10)}${run.quick ? " (`--quick`: rougher figures)" : ""}.`,
    "",
    targetLine(run),
    "",
    "### Conditions",
    "",
    `- **Input**: a JetStream stream on a private nats-server ${run.versions.natsServer} (loopback), filled before any run: ${c.keys} records ` +
      "`{ deviceId, ts, temp }` (msgpack, one per message, one per device) in one 1 s window, then one record 1 s later, which closes that window " +
      "as soon as it is read. The stream is there before the process starts, so nothing races with its start-up.",
    "- **`weir edge`**: `node bin/weir.js edge <spec> --nats <url> --name <new per run>`, one pipeline: JetStream source (a new durable " +
      "per run, no checkpoint to resume from), continuous mode, key `deviceId`, tumbling 1 s, `count()`, `avg(temp)`, `max(temp)`, rows to a " +
      "core NATS subject the benchmark listens on. The defaults otherwise (WASM kernel, no `--http`).",
    "- **nats.js** (reference): `node --input-type=module -e` that imports `@nats-io/transport-node` and `@nats-io/jetstream`, connects, reads " +
      "the stream's first message through an ordered consumer and publishes it to a subject the benchmark listens on.",
    "- **node** (reference): `node -e` that prints a line; its time is until that line reaches the benchmark.",
    `- **Runs**: ${c.runs}, each spawning the three in turn, after ${c.warmupRounds} untimed round (file caches). Timed from just before ` +
      `spawn to the first result arriving in the benchmark process; figures are medians. Idle RSS: VmRSS (and its parts RssAnon, RssFile) from /proc/<pid>/status after ` +
      `${c.settleMs} ms without work following the first result; peak RSS: VmHWM at the same moment.`,
    `- nats.js ${run.versions.natsJs}, msgpackr ${run.versions.msgpackr}. **Machine**: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, ` +
      `Node ${m.node}; shared and noisy.`,
    "",
    "### Results",
    "",
    markdownTable(HEAD, rows(run, true), ALIGN),
    "",
    chart(run),
    "",
    "### Notes",
    "",
    ...(over !== null && node && nats
      ? [
          `- Node.js itself takes ${node.firstResultMs.median.toFixed(0)} ms to print a line; loading nats.js, connecting and reading one message ` +
            `brings that to ${nats.firstResultMs.median.toFixed(0)} ms. \`weir edge\` needs ${over.toFixed(0)} ms more for its own work: its modules ` +
            "and the WASM kernel, reading the spec and validating it in a short-lived child process (which keeps the spec loader out of the long-running node), loading the checkpoint from the KV bucket, creating the durable consumer, then " +
            "reading, aggregating and publishing the first window's rows.",
        ]
      : []),
    ...(weir && node && weir.anonRssMiB !== null && node.anonRssMiB !== null && weir.fileRssMiB !== null && node.fileRssMiB !== null
      ? [
          "- RSS splits into anonymous memory (the JavaScript heap, WASM memory, buffers) and file-backed pages (mostly the `node` " +
            `binary's code and data as far as it was touched, and native add-ons). Bare Node.js already holds ${node.idleRssMiB!.toFixed(1)} MiB, ` +
            `${node.fileRssMiB.toFixed(1)} of them file-backed; \`weir edge\` adds ${(weir.anonRssMiB - node.anonRssMiB).toFixed(1)} MiB of anonymous ` +
            `and ${(weir.fileRssMiB - node.fileRssMiB).toFixed(1)} MiB of file-backed memory.`,
        ]
      : []),
    "- Raw results, every run's samples: `bench/results/startup.json` (`quick: true` marks smoke runs).",
  ].join("\n");
}
