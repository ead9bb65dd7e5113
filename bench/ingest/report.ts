/** The ingest benchmark's tables: plain text for stdout, a section of docs/benchmarks.md with its chart. */
import { int, markdownTable, si, textTable, type Align } from "../lib/report.js";
import type { Bar } from "../lib/svg.js";
import { TRANSPORT_TITLE, type IngestContender, type Transport } from "./contender.js";
import type { IngestResult, IngestRun, IngestTarget } from "./run-record.js";
import { spaced } from "./weir.js";

const TRANSPORT_NAME: Record<Transport, string> = { jetstream: "JetStream", core: "core NATS" };

const x = (r: number) => `${r.toFixed(2)}×`;

function transports(run: IngestRun): Transport[] {
  return [...new Set(run.results.map((r) => r.transport))];
}

function targetOf(run: IngestRun, r: IngestResult): IngestTarget | undefined {
  return run.targets.find((t) => t.transport === r.transport && t.letter === r.letter);
}

const HEAD = ["contender", "records/s", "× (a)", "× (a), each round", "target", "seconds", "slow-consumer events"];
const ALIGN: Align[] = ["l", "r", "r", "l", "l", "r", "r"];

/** The ratio of every round, in order ("—" for (a), whose ratio is 1 by definition). */
const roundRatios = (r: IngestResult) => (r.letter === "a" ? "—" : r.roundRatios.map((q) => q.toFixed(2)).join(", "));

/** "median of 3 rounds" or "one round", on one transport. */
function roundsNote(run: IngestRun, t: Transport): string {
  const n = run.conditions.rounds[t];
  return n > 1 ? `median of ${n} rounds` : "one round";
}

/** "3 rounds on JetStream, 5 on core NATS", or "one round". */
function allRounds(run: IngestRun): string {
  const ts = transports(run);
  if (ts.every((t) => run.conditions.rounds[t] === 1)) return "one round";
  return ts.map((t, i) => `${run.conditions.rounds[t]}${i === 0 ? " rounds" : ""} on ${TRANSPORT_NAME[t]}`).join(", ");
}

function rows(run: IngestRun, t: Transport): string[][] {
  return run.results
    .filter((r) => r.transport === t)
    .map((r) => {
      const target = targetOf(run, r);
      return [
        `(${r.letter}) ${r.contender}`,
        si(r.recordsPerSec),
        x(r.ratio),
        roundRatios(r),
        target ? `≥ ${x(target.atLeast)}: ${target.met ? "met" : "not met"}` : "",
        r.seconds.toFixed(2),
        String(r.slowConsumerEvents),
      ];
    });
}

/** The publisher's own rate on core NATS, per contender run: the ceiling of what any consumer could be timed at. */
function publisherLine(run: IngestRun): string {
  const rates = run.results.filter((r) => r.transport === "core" && r.publisherMessagesPerSec !== null).map((r) => r.publisherMessagesPerSec!);
  if (rates.length === 0) return "";
  return `the publisher sent at ${si(Math.min(...rates))}–${si(Math.max(...rates))} msgs/s while the consumers ran`;
}

const TARGET_HEAD = ["transport", "contender", "target: × (a) at least", "this run (median)", "met"];
const TARGET_ALIGN: Align[] = ["l", "l", "r", "r", "l"];

function targetRows(run: IngestRun): string[][] {
  return run.targets.map((t) => [TRANSPORT_NAME[t.transport], `(${t.letter}) ${t.contender}`, x(t.atLeast), x(t.ratio), t.met ? "yes" : "**no**"]);
}

function targetSummary(run: IngestRun): string {
  const met = run.targets.filter((t) => t.met).length;
  if (met === run.targets.length) return `all ${met} are met.`;
  if (met === 0) return `none of the ${run.targets.length} is met.`;
  return `${met} of ${run.targets.length} are met.`;
}

/** Result tables for the terminal. */
export function ingestText(run: IngestRun): string {
  const c = run.conditions;
  const out = [
    `ingest: ${int(c.records)} msgpack records, one per message (${c.bytesPerMessage.toFixed(0)} B), ${int(c.keys)} keys, tumbling 10 s; ` +
      `weir edge vs bare nats.js consumers${run.quick ? " (--quick)" : ""}`,
  ];
  for (const t of transports(run)) out.push("", `${TRANSPORT_TITLE[t]}, ${roundsNote(run, t)}`, textTable(HEAD, rows(run, t), ALIGN));
  const pub = publisherLine(run);
  out.push("", `JetStream stream filled (untimed) at ${si(run.jetstreamFill.messagesPerSec)} msgs/s${pub ? `; core NATS: ${pub}` : ""}.`);
  out.push("", `Targets (weir ÷ (a), this run, medians: ${allRounds(run)}):`);
  for (const t of run.targets) out.push(`  ${TRANSPORT_NAME[t.transport].padEnd(9)} (${t.letter}) ${t.contender.padEnd(24)} ${x(t.ratio).padStart(6)}  target ≥ ${x(t.atLeast)}  ${t.met ? "met" : "NOT met"}`);
  return out.join("\n");
}

/** The chart's bars: every contender's ratio to (a), per transport. */
export function chartBars(run: IngestRun): Bar[] {
  return run.results.map((r) => {
    const target = targetOf(run, r);
    return {
      label: `${TRANSPORT_NAME[r.transport]}: (${r.letter}) ${r.contender}`,
      value: r.ratio,
      note: `${x(r.ratio)}${target ? ` (target ≥ ${x(target.atLeast)})` : ""}`,
      group: r.transport,
    };
  });
}

/** The ingest section of docs/benchmarks.md; `chart` is the Markdown of its SVG chart. */
export function ingestMarkdown(run: IngestRun, contenders: readonly IngestContender[], chart: string): string {
  const c = run.conditions;
  const m = run.machine;
  const v = run.versions;
  const micro = c.modes.find((x) => x.mode === "micro-batch");
  const parts = [
    "## ingest: one record per message, `weir edge` vs bare nats.js",
    "",
    "How many records per second one `weir edge` pipeline takes in when every NATS message carries one small record, as a " +
      "share of what a bare nats.js consumer that only counts the messages reaches on the same machine, in the same run. " +
      `Newest run: ${m.date.slice(0, 10)}${run.quick ? " (`--quick`: a tenth of the data, figures are rougher)" : ""}.`,
    "",
    "### Conditions",
    "",
    `- **Data**, generated from one seed (the same for every contender): ${int(c.records)} sensor records ` +
      `\`{ ${c.fields.join(", ")} }\`, **one per message**, encoded with msgpackr as ` +
      `${c.recordStructures ? "record structures (`new Packr({ useRecords: true })`)" : "plain msgpack maps (no record structures: `new Packr({ useRecords: false })`)"}, ` +
      `${c.bytesPerMessage.toFixed(1)} bytes per message on average (${si(c.bytes)}B in all). \`deviceId\` is uniform over ${int(c.keys)} ids; ` +
      `every device reports about once a second (${int(c.eventRecordsPerSecond)} records per second of event time); 5% of the records ` +
      "are up to 2 s out of order. The last record lies 20 s of event time after the others, so that every window holding them closes: " +
      `${int(c.expectedRows)} result rows (one per device and closed window), holding every record but the last.`,
    `- **Pipeline** (contenders c and d): key \`${c.key}\`, ${c.window} windows, ` +
      `${Object.entries(c.aggregates).map(([k, e]) => `\`${k}: ${e}\``).join(", ")}, watermark max ts − ${c.maxOutOfOrderness}; ` +
      `(c) micro-batch with trigger ${micro?.trigger ? spaced(micro.trigger) : "—"}, (d) continuous. Rows go to ${c.sink}; checkpoints ` +
      `every ${spaced(c.checkpointInterval)} to the server's KV bucket.`,
    `- **JetStream**: one file-backed stream on a private nats-server, filled before any timing (core NATS publishes into its subject, ` +
      `${si(run.jetstreamFill.messagesPerSec)} msgs/s, counted when the stream holds them all); every contender reads all of it through its own durable consumer, ` +
      `holding ${c.maxInFlight} messages in the client.`,
    `- **Core NATS**: nothing is stored, so a publisher process sends the whole data set while the contender runs (see ` +
      "[lossless core NATS](#lossless-core-nats) below).",
    `- **Machine**: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}; nats-server ${v.natsServer}, nats.js ${v.natsJs}, ` +
      `msgpackr ${v.msgpackr}.`,
    `- **Rounds**: ${run.quick ? "each contender runs once, in the order of the tables" : `the contenders take turns, in the order of the tables (a, b, c, d, a, b, ...): ${allRounds(run)}`}. ` +
      "One run lasts seconds, and on this shared machine the same run can be tens of percent faster or slower a minute later; " +
      "taking turns lets a slow spell weigh on every contender, and the tables give medians. Compare ratios within one run rather " +
      "than figures across runs.",
    "",
    "### Results",
    "",
    `records/s: the records of the data set divided by the timed seconds. × (a): records/s divided by that of (a) in the same round, on the ` +
      `same transport; records/s, × (a) and seconds are medians over the rounds, and the ratio of each round is listed.`,
  ];
  for (const t of transports(run)) {
    parts.push("", `#### ${TRANSPORT_TITLE[t]}, ${roundsNote(run, t)}`, "", markdownTable(HEAD, rows(run, t), ALIGN));
  }
  const pub = publisherLine(run);
  if (pub) parts.push("", `On core NATS ${pub}.`);
  parts.push(
    "",
    chart,
    "",
    "### Targets",
    "",
    `weir's targets for this machine, judged on this run (medians: ${allRounds(run)}): ${targetSummary(run)}`,
    "",
    markdownTable(TARGET_HEAD, targetRows(run), TARGET_ALIGN),
  );
  parts.push("", "### How each contender is measured", "");
  for (const k of contenders) parts.push(`- **(${k.letter}) ${k.name}**: ${k.method}`);
  parts.push(
    "",
    "### Lossless core NATS",
    "",
    "Core NATS cannot hold a consumer's messages back, so a consumer slower than its publisher either buffers or loses. " +
      "To measure each contender's own rate, and nothing lost:",
    "",
    "- the publisher is a process of its own. Before it is asked to send, it encodes every message with msgpackr and lays out " +
      "the NATS protocol for them (`PUB <subject> <size>`, payload); asked, it writes those bytes to a plain TCP connection as " +
      "fast as the server reads them (the socket's backpressure paces it), then a PING/PONG round trip confirms the server has " +
      "processed every message. (With nats.js `publish()`, a few µs per message, the publisher rather than the consumer set the " +
      "pace of (a) in trial runs.) The JetStream stream is filled the same way;",
    `- the server keeps up to \`max_pending: ${c.core.maxPending}\` for each connection (default 64 MB; more than a whole run's ` +
      `messages) and waits \`write_deadline: "${c.core.writeDeadline}"\` for a socket before it cuts a client off, so a consumer ` +
      "that falls behind reads the backlog later instead of losing it;",
    "- the clock starts when the publisher is asked to send (once the consumer's subscription is registered) and stops when the " +
      "consumer has taken in the last record; the publisher's own rate (above) is the most any contender could be timed at;",
    `- losses are counted three ways: messages the consumer never took in (its count, weir's \`recordsIn\`), weir's "inbox full: ` +
      `dropping" log lines, and connections the server cut off as slow consumers (its \`/varz\` \`slow_consumers\` before and after); ` +
      `the nats.js client's slow-consumer events (more than ${int(c.core.slowPending)} messages pending) are counted and shown, ` +
      "but are not a loss. A contender that loses any message fails the run, which then records nothing.",
    "",
    "### Agreement check",
    "",
    "Every contender must have taken in every message of the data set, and no connection may have been cut off as a slow " +
      "consumer. weir's \"pipeline stopped\" log line must report `recordsIn` equal to the records published, nothing late or " +
      "dead-lettered, and `rowsOut` equal to the rows the data closes; the benchmark must have received exactly those rows. A window " +
      "[s, s + 10 s) is closed iff s + 10 s − 1 ≤ W, the watermark after the last record (W = max ts − 2 s − 1). Over the rows, Σ n " +
      "must equal the records in closed windows (every record but the last), and Σ max_temp and Σ avg_temp the sums computed from " +
      "the data, within 1e-9 relative. A disagreement fails the run and nothing is recorded.",
    "",
    "### Notes",
    "",
    "- (a) keeps no state and writes nothing: it is the ceiling of ingest through nats.js in one Node.js process, not a pipeline. " +
      "(b) adds what every consumer of msgpack messages pays; weir does not pay it: it reads the fields it uses straight from each payload into column batches, with no record object (on core NATS inside the subscription callback). It also runs the window kernel, " +
      `publishes ${int(c.expectedRows)} rows and checkpoints.`,
    ...(micro?.trigger
      ? [
          "- In micro-batch mode rows leave at the end of a batch: the last closed window's rows wait up to one trigger " +
            `(${spaced(micro.trigger)}) after the closing record has been read, and that wait is inside the timed region.`,
        ]
      : []),
    "- Rows go to a core NATS subject, which costs weir one protocol frame per row (the frames of a drain leave in one socket write " +
      "on the sink's own connection) and no acknowledgement, so that the figures are " +
      "about ingest; the `edge` section measures a pipeline with a JetStream sink.",
    "- Raw results: `bench/results/ingest.json`, every run kept with its machine and conditions, and every round's seconds and ratio (`quick: true` marks smoke runs).",
  );
  return parts.join("\n");
}
