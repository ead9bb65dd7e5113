/** The edge benchmark's tables: plain text for stdout, a section of docs/benchmarks.md. */
import { int, markdownTable, ratio as libRatio, si, textTable, type Align } from "../lib/report.js";
import type { EdgeCaseRecord, EdgeResult, EdgeRun } from "./run-record.js";

/** `ratio` of the shared reports, with two significant digits below 0.1× (weir-edge ÷ nats.js-bare can be 0.008×). */
function ratio(a: number | null | undefined, b: number | null | undefined): string {
  if (a == null || b == null || b === 0 || a / b >= 0.1) return libRatio(a, b);
  return `${(a / b).toPrecision(2)}×`;
}

const BARE = "nats.js-bare";
const WEIR = "weir-edge";

const HEAD = ["contender", "records/s", "messages/s", "rows out/s", "seconds", `${WEIR} ÷ ${BARE}`];
const ALIGN: Align[] = ["l", "r", "r", "r", "r", "r"];

function byCase(run: EdgeRun): { c: EdgeCaseRecord; results: EdgeResult[] }[] {
  return run.cases.map((c) => ({ c, results: run.results.filter((r) => r.case === c.case) }));
}

function caseRows(results: EdgeResult[]): string[][] {
  const bare = results.find((r) => r.impl === BARE)?.recordsPerSec ?? null;
  return results.map((r) => [
    r.impl,
    si(r.recordsPerSec),
    si(r.messagesPerSec),
    r.rowsPerSec === null ? "" : si(r.rowsPerSec),
    r.seconds.toFixed(2),
    r.impl === WEIR ? ratio(r.recordsPerSec, bare) : "",
  ]);
}

const EXTRA_HEAD = ["case", "rows out", "start-up", "drain after SIGTERM", "peak RSS"];
const EXTRA_ALIGN: Align[] = ["l", "r", "r", "r", "r"];

/** weir-edge's untimed figures per case. */
function extraRows(run: EdgeRun): string[][] {
  return run.results
    .filter((r) => r.impl === WEIR)
    .map((r) => [
      r.case,
      r.rowsOut === null ? "" : int(r.rowsOut),
      r.startupSeconds === null ? "" : `${r.startupSeconds.toFixed(2)} s`,
      r.stopSeconds === null ? "" : `${r.stopSeconds.toFixed(2)} s`,
      r.peakRssMiB === null ? "" : `${Math.round(r.peakRssMiB)} MiB`,
    ]);
}

function caseLine(c: EdgeCaseRecord): string {
  return `${int(c.records)} records in ${int(c.messages)} messages (${si(c.bytes)}B), ${int(c.expectedRows)} rows in ${c.firedWindows} closed windows`;
}

/** Rows written per record read, over the run's cases (the same data, so about the same in each). */
function rowsPerRecord(run: EdgeRun): string {
  const rows = run.cases.reduce((a, c) => a + c.expectedRows, 0);
  const records = run.cases.reduce((a, c) => a + c.records, 0);
  return records > 0 ? (rows / records).toFixed(2) : "—";
}

function rate(run: EdgeRun, caseName: string, impl: string): EdgeResult | undefined {
  return run.results.find((r) => r.case === caseName && r.impl === impl);
}

/** One sentence with the ratio of every case. */
function summary(run: EdgeRun): string {
  const parts = run.cases.map((c, i) => {
    const w = rate(run, c.case, WEIR);
    const b = rate(run, c.case, BARE);
    const of = i === 0 ? ` ${BARE}'s records/s` : "";
    return `${ratio(w?.recordsPerSec, b?.recordsPerSec)}${of} with ${c.recordsPerMessage === 1 ? "one record" : `${c.recordsPerMessage} records`} per message`;
  });
  return `In this run ${WEIR} reached ${parts.join(", and ")}.`;
}

/**
 * How weir-edge's row rate compares with plain JetStream publishing in the
 * same run (the benchmark filling the one-record-per-message stream): when
 * they are close, writing rows rather than reading records sets its pace.
 */
function sinkNote(run: EdgeRun): string[] {
  const single = run.cases.find((c) => c.recordsPerMessage === 1);
  const batched = run.cases.find((c) => c.recordsPerMessage > 1);
  const w = batched ? rate(run, batched.case, WEIR) : undefined;
  if (!single || !batched || !w?.rowsPerSec) return [];
  return [
    `- ${WEIR} writes ${rowsPerRecord(run)} rows per record here, each row its own JetStream publish with an acknowledgement ` +
      `(pipelined). In \`${batched.case}\` it wrote ${si(w.rowsPerSec)} rows/s; the benchmark's own pipelined publishing of ` +
      `small messages (filling \`${single.case}\`) ran at ${si(single.publishMessagesPerSec)} msgs/s on the same server. Where ` +
      "the two are close, the rows it must write, not the records it reads, set its pace: fewer keys or longer windows mean fewer rows.",
  ];
}

/** Result tables for the terminal. */
export function edgeText(run: EdgeRun): string {
  const out = [`edge: one weir edge pipeline vs a bare nats.js consumer, JetStream on loopback${run.quick ? " (--quick)" : ""}`];
  for (const { c, results } of byCase(run)) {
    out.push("", `${c.case}: ${c.title}; ${caseLine(c)}`, textTable(HEAD, caseRows(results), ALIGN));
  }
  out.push("", "weir-edge, not timed:", textTable(EXTRA_HEAD, extraRows(run), EXTRA_ALIGN), "", summary(run));
  return out.join("\n");
}

/** The edge section of docs/benchmarks.md. */
export function edgeMarkdown(run: EdgeRun, methods: readonly { name: string; method: string }[]): string {
  const d = run.data;
  const m = run.machine;
  const v = run.versions;
  const parts = [
    "## edge: one `weir edge` pipeline reading JetStream",
    "",
    "How many records per second one live pipeline takes from a JetStream stream and turns into windowed rows in a JetStream " +
      "sink, next to the least a JavaScript consumer of the same stream does (read, unpack, count). " +
      `Newest run: ${m.date.slice(0, 10)}${run.quick ? ", **--quick** (a tenth of the data: rough figures)" : ""}.`,
    "",
    "### Conditions",
    "",
    `- **Data** (seeded, the same for both contenders): sensor records \`{ deviceId, ts, temp }\`; \`deviceId\` uniform over ` +
      `${int(d.devices)} devices; \`ts\` 1 ms apart, ${d.outOfOrder * 100}% of records behind by 1–${int(d.maxDelay)} ms; ` +
      "`temp` around 20 with two decimals; the last record jumps 20 s ahead (Notes). About 6,300 of the devices report in " +
      `each 10 s window, so the pipeline writes ${rowsPerRecord(run)} rows per record.`,
    `- **Cases**: ${run.cases.map((c) => `\`${c.case}\`: ${c.title}, ${caseLine(c)}`).join("; ")}. ` +
      "Single records get a tenth of the records because the cost per message dominates.",
    `- **Server**: a private nats-server ${v.natsServer} with JetStream (file storage) on loopback, started for the run and removed after it. ` +
      "Each case's stream is filled before anything is timed (" +
      run.cases.map((c) => `${c.case}: ${si(c.publishMessagesPerSec)} msgs/s`).join(", ") +
      `, pipelined publishes awaited in groups of 1,000, \`noAsyncTraces: true\`). nats.js ${v.natsJs}, msgpackr ${v.msgpackr}.`,
    `- **Machine**: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}. Per case, ${BARE} runs first and then ` +
      `${WEIR}, once each, on the same stream. nats-server, the benchmark process and \`weir edge\` share the cores. The machine is ` +
      "shared and noisy: compare ratios within one run rather than figures across runs.",
    "",
    "### Results",
    "",
    `records/s and messages/s: the case's records and messages divided by the timed seconds; rows out/s: rows ${WEIR} wrote ` +
      `to its sink stream in that time. The last column divides ${WEIR}'s records/s by ${BARE}'s: the share of the bare ` +
      "consumer's ingest rate that a whole pipeline keeps.",
    "",
    summary(run),
  ];
  for (const { c, results } of byCase(run)) {
    parts.push("", `#### ${c.case}: ${c.title}`, "", markdownTable(HEAD, caseRows(results), ALIGN));
  }
  parts.push(
    "",
    `${WEIR} besides the clock: start-up is from spawn to its "pipeline running" line (Node, imports, WASM, connecting, ` +
      "creating the consumer); the drain runs from SIGTERM to exit 0 (last checkpoint, flush); peak RSS is the process's VmHWM.",
    "",
    markdownTable(EXTRA_HEAD, extraRows(run), EXTRA_ALIGN),
    "",
    "### How each contender is measured",
    "",
  );
  for (const c of methods) parts.push(`- **${c.name}**: ${c.method}`);
  parts.push(
    "",
    "### Agreement check",
    "",
    `Before any figure is recorded, ${BARE} must have counted every record and message of the stream. ${WEIR}'s ` +
      '"pipeline stopped" log line must report `recordsIn` equal to the records published, nothing late or dead-lettered, and ' +
      "`rowsOut` equal to the rows the data closes; its sink stream must hold exactly those rows. A window [s, s + 10 s) is " +
      "closed iff s + 10 s − 1 ≤ W, the watermark after the last record (W = max ts − 2 s − 1). Over the rows, Σ n must equal " +
      "the records in closed windows (every record but the last), and Σ max_temp and Σ avg_temp the sums computed from the " +
      "data, within 1e-9 relative. A disagreement fails the run and nothing is recorded.",
    "",
    "### Notes",
    "",
    `- ${BARE} writes nothing and keeps no state: it is the ceiling of ingest through nats.js in one Node.js process, not a ` +
      `pipeline. ${WEIR} also decodes into columns, runs the window kernel, publishes each row with its own JetStream ack ` +
      "and checkpoints.",
    ...sinkNote(run),
    "- The stream's last record lies 20 s of event time after the others: it closes every window holding them, so the sink " +
      `is complete only once ${WEIR} has taken in the whole stream, and the clock can stop on the sink's contents. Its own ` +
      "window stays open (no idle timeout is set) and is not waited for.",
    "- Raw results: `bench/results/edge.json`, every run kept with its machine (`quick: true` marks smoke runs).",
  );
  return parts.join("\n");
}
