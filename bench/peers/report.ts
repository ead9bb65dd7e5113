/** The peers benchmark's tables: plain text for stdout, a section of docs/benchmarks.md, one chart. */
import { int, markdownTable, ratio, si, textTable, type Align } from "../lib/report.js";
import type { Bar } from "../lib/svg.js";
import { WEIR, type Peer } from "./contenders.js";
import { median } from "../lib/stats.js";
import type { PeerResult, PeersRun } from "./run-record.js";

export interface Summary {
  impl: string;
  status: PeerResult["status"];
  reason: string | null;
  rounds: number;
  recordsPerSec: number | null;
  rowsPerSec: number | null;
  seconds: number | null;
  startupSeconds: number | null;
  peakRssMiB: number | null;
  rowsEqual: number | null;
}

/** Medians over a contender's rounds (peak RSS: the largest). */
export function summarize(r: PeerResult): Summary {
  const ok = r.status === "ok";
  const pick = (f: (m: PeerResult["runs"][number]) => number) => (ok && r.runs.length > 0 ? median(r.runs.map(f)) : null);
  const rss = r.runs.map((m) => m.peakRssMiB).filter((x): x is number => x !== null);
  return {
    impl: r.impl,
    status: r.status,
    reason: r.reason,
    rounds: r.runs.length,
    recordsPerSec: pick((m) => m.recordsPerSec),
    rowsPerSec: pick((m) => m.rowsPerSec),
    seconds: pick((m) => m.seconds),
    startupSeconds: pick((m) => m.startupSeconds),
    peakRssMiB: ok && rss.length > 0 ? Math.max(...rss) : null,
    rowsEqual: ok ? Math.min(...r.runs.map((m) => m.rowsEqual)) : null,
  };
}

const HEAD = ["contender", "records/s", "rows out/s", "seconds", "start-up", "peak RSS", "rows equal", `${WEIR} ÷ it`];
const ALIGN: Align[] = ["l", "r", "r", "r", "r", "r", "r", "r"];

function rows(run: PeersRun): string[][] {
  const all = run.results.map(summarize);
  const weir = all.find((s) => s.impl === WEIR)?.recordsPerSec ?? null;
  return all.map((s) => {
    if (s.status !== "ok") return [s.impl, s.status, "", "", "", "", "", "—"];
    return [
      s.impl,
      si(s.recordsPerSec!),
      si(s.rowsPerSec!),
      s.seconds!.toFixed(2),
      `${s.startupSeconds!.toFixed(2)} s`,
      s.peakRssMiB === null ? "" : `${Math.round(s.peakRssMiB)} MiB`,
      `${int(s.rowsEqual!)} / ${int(run.input.expectedRows)}`,
      s.impl === WEIR ? "" : ratio(weir, s.recordsPerSec),
    ];
  });
}

function inputLine(run: PeersRun): string {
  const i = run.input;
  return (
    `${int(i.records)} records in ${int(i.messages)} messages (${i.recordsPerMessage} per message, ${si(i.bytes)}B), ` +
    `${int(i.expectedRows)} rows in ${i.closedWindows} closed windows`
  );
}

function roundsLine(run: PeersRun): string {
  return run.rounds === 1 ? "one round" : `median of ${run.rounds} rounds`;
}

export function peersText(run: PeersRun): string {
  const lines = [
    `peers: ${inputLine(run)}; ${roundsLine(run)}${run.quick ? " (--quick)" : ""}`,
    textTable(HEAD, rows(run), ALIGN),
  ];
  for (const s of run.results.map(summarize)) if (s.status !== "ok") lines.push(`${s.impl}: ${s.status}: ${(s.reason ?? "").split("\n")[0]}`);
  return lines.join("\n");
}

/** The bars of the chart: records/s of each contender that agreed. */
export function chartBars(run: PeersRun): Bar[] {
  return run.results
    .map(summarize)
    .filter((s) => s.status === "ok")
    .map((s) => ({ label: s.impl, value: s.recordsPerSec!, note: `${si(s.recordsPerSec!)} records/s`, group: s.impl }));
}

function summarySentence(run: PeersRun): string {
  const all = run.results.map(summarize);
  const weir = all.find((s) => s.impl === WEIR)?.recordsPerSec ?? null;
  const parts = all
    .filter((s) => s.impl !== WEIR)
    .map((s) => (s.status === "ok" ? `${ratio(weir, s.recordsPerSec)} the records/s of ${s.impl}` : `no figure for ${s.impl} (${s.status})`));
  return `In this run ${WEIR} reached ${parts.join(" and ")}, on the same stream and with the same rows out.`;
}

export function peersMarkdown(run: PeersRun, peers: readonly Peer[], chart: string): string {
  const date = run.machine.date.slice(0, 10);
  const i = run.input;
  const rowsPerDevice = i.expectedRows / run.data.devices;
  const parts: string[] = [
    "## peers: the same pipeline in weir, RxJS and Node-RED",
    "",
    "One event-time pipeline, built three ways and fed the same stream: per device, tumbling 10 s windows by event time with " +
      "count, average and maximum of the temperature, records read from a JetStream stream, rows published to NATS. How many " +
      `records per second does each turn into rows? Newest run: ${date}${run.quick ? " (`--quick`: figures are rougher)" : ""}.`,
    "",
    "### Conditions",
    "",
    `- **Data** (seeded, the same for every contender): sensor records \`{ deviceId, ts, temp }\`; \`deviceId\` uniform over ` +
      `${int(run.data.devices)} devices; \`ts\` 1 ms apart, ${Math.round(run.data.outOfOrder * 100)}% of records behind by ` +
      `1–${int(run.data.maxDelay)} ms (never behind the watermark, so nothing is late); \`temp\` around 20 with two decimals; the last record ` +
      "jumps 20 s ahead, which closes every window holding the others.",
    `- **Input**: ${inputLine(run)} (about ${rowsPerDevice.toFixed(0)} windows per device). The records are published once, ` +
      `before anything is timed, to a JetStream stream (file storage) as msgpack arrays of ${i.recordsPerMessage} records ` +
      `(${i.publishSeconds.toFixed(1)} s). Each contender then reads the whole stream from its first message through a durable ` +
      "pull consumer of its own. A pre-filled stream is the fair input: every contender reads the same bytes at its own pace and " +
      "nothing is dropped. Core NATS would be paced by the publisher and drop what a slow subscriber cannot take. Batches of " +
      "100 records keep the per-message cost of the NATS client, the same for all three, from hiding the pipelines.",
    "- **Pipeline**: watermark max ts − 2 s − 1 (docs/semantics.md), key `deviceId`, tumbling 10 s windows by event time, " +
      "`n` = count, `avg_temp`, `max_temp`; one row per device and window once the watermark passes the window's end, " +
      "as one JSON message on a core NATS subject of the run (`{deviceId, window_start, window_end, n, avg_temp, max_temp}`).",
    "- **Clock**: from the line each contender prints once its consumer reads (weir: `pipeline running`) until the benchmark, " +
      "subscribed to the contender's row subject, has received every row the data closes. Start-up before that line is shown " +
      "apart and not timed. records/s is the stream's records divided by that time.",
    `- **Processes**: each contender is its own Node.js process (a child of the benchmark, killed after 5 minutes at most), ` +
      `on one private nats-server ${run.versions.natsServer} (loopback, a temporary store, removed after the run). Rounds run ` +
      `weir, RxJS and Node-RED in turn; ${roundsLine(run)}, a new durable consumer each time. The contender, nats-server and the ` +
      "benchmark's row collector share the machine's cores.",
    `- **Versions**: nats.js ${run.versions.natsJs}, msgpackr ${run.versions.msgpackr}, RxJS ${run.versions.rxjs}, ` +
      `Node-RED ${run.versions.nodeRed}; Node ${run.machine.node}.`,
    `- **Machine**: ${run.machine.cpu}, ${run.machine.cores} cores, ${run.machine.memoryGiB} GiB, ${run.machine.os}. ` +
      "The machine is shared and noisy: compare ratios within one run rather than figures across runs.",
    "",
    "### Results",
    "",
    summarySentence(run),
    "",
    chart,
    "",
    markdownTable(HEAD, rows(run), ALIGN),
    "",
    "rows out/s: the rows divided by the same time; start-up: spawn to the reading line; peak RSS: the process's VmHWM when " +
      "its last row arrived (largest over the rounds); rows equal: rows that match the expected row of their device and window " +
      "(fewest over the rounds); the last column divides weir-edge's records/s by the contender's.",
  ];
  const failed = run.results.map(summarize).filter((s) => s.status !== "ok");
  if (failed.length > 0) {
    parts.push("");
    for (const s of failed) parts.push(`- **${s.impl}: ${s.status}.** ${(s.reason ?? "").split("\n")[0]}`);
  }
  parts.push(
    "",
    "### Agreement check",
    "",
    "The three window the same way, so their rows are compared one by one with the rows computed from the data: exactly one " +
      "row per device and closed window, none missing, none repeated, none extra; `n` and `max_temp` equal, `avg_temp` within " +
      "1e-9 relative (a sum added in another order may differ in its last bits). Σ n over the rows then equals the records in closed " +
      `windows (${int(i.expectedSumN)}, every record but the last). A contender whose rows differ gets no figure and is ` +
      "listed as disagreeing; if weir-edge's differ, the run fails and records nothing.",
    "",
    "### How each contender is built and measured",
    "",
  );
  for (const p of peers) parts.push(`- **${p.name}** (${p.title}): ${p.method}`);
  parts.push(
    "",
    "### Node-RED: what could be used here",
    "",
    `- **Version**: Node-RED 5 requires Node ≥ 22.9; this machine runs Node 20, so Node-RED ${run.versions.nodeRed} (the newest 4.x) ` +
      "is used, installed as a devDependency with install scripts off (it needs none to run headless).",
    "- **No NATS node**: none of the Node-RED NATS nodes looked for (`node-red-contrib-nats`, `node-red-contrib-natsio`, " +
      "`node-red-contrib-natsstreaming`) can be installed from the registry this machine reaches. " +
      "The flow reads and writes NATS in function nodes with the same nats.js client the other two use, handed in through " +
      "`functionGlobalContext` in the settings file (nothing is installed at start).",
    "- **No event-time aggregation node**: the dedicated aggregation node, `node-red-contrib-aggregator` 2.0.0 (about 1.3 k " +
      "downloads a month; Node-RED itself about 120 k), closes its intervals by the wall clock (a `setInterval` aligned to " +
      "the clock), computes one statistic per node (mean, median, min, max, sum, …; no count) over the values kept per " +
      "`msg.topic`, and merges or emits per topic when the interval ends. On a stream read back at full speed every record would " +
      "land in one or two wall-clock intervals: its rows cannot be compared with event-time windows, so it is not measured. " +
      "`node-red-node-smooth` (about 10 k a month) smooths over the last N values; the core `batch` and `join` nodes cut by " +
      "count or by the wall clock.",
    "- **So the closest fair setup**: Node-RED's runtime and message passing, its core `split` node for one message per " +
      "record (as a flow handles records), and the event-time window written in a function node, as Node-RED users write " +
      "stateful logic (state in the node's context). It produces the same rows as weir, and they are checked like the others'.",
    "- Node-RED has no back-pressure between nodes: the *JetStream in* node reads as fast as NATS delivers and the messages " +
      "queue in memory ahead of the window node.",
    "",
    "### Notes",
    "",
    "- Acknowledgements differ by design: weir acknowledges the source after each checkpoint (with a JetStream sink that is " +
      "exactly-once after a crash, docs/edge.md); RxJS and Node-RED acknowledge each message as it is read, so a crash loses " +
      "the records in flight and the open windows. With 100 records per message the acks themselves are a small cost.",
    "- weir checkpoints its window state to the server's KV bucket every 10 s of wall time; a run of a few seconds writes few.",
    "- The RxJS and Node-RED pipelines are plain JavaScript per record (RxJS operators, Node-RED messages); weir decodes each " +
      "message into columns and aggregates in its WASM kernel. Start-up (Node-RED loads its runtime and nodes) is not timed.",
    "- Raw results: `bench/results/peers.json`, every run kept with its machine, versions and conditions (`quick: true` marks smoke runs).",
  );
  return parts.join("\n");
}
