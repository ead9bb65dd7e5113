/** The latency benchmark's tables: plain text for stdout, a section of docs/benchmarks.md, a chart. */
import { int, markdownTable, si, textTable, type Align } from "../lib/report.js";
import { writeChart } from "../lib/svg.js";
import { ECHO_STRIDE } from "./measure.js";
import type { LatencyResult, LatencyRun } from "./run-record.js";

function ms(x: number | null | undefined): string {
  if (x == null || Number.isNaN(x)) return "—";
  return x >= 99.95 ? x.toFixed(0) : x >= 9.995 ? x.toFixed(1) : x.toFixed(2);
}

const rateLabel = (r: number) => `${si(r).replace(/\.0+ /, " ").replace(" ", "")}/s`;

const HEAD = ["mode", "rate", "achieved", "windows", "rows", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "missing windows", "missing rows", "lost records", "child CPU"];
const ALIGN: Align[] = ["l", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r"];

const modeLabel = (mode: string) => (mode === "echo" ? "echo (reference)" : mode);

function rows(run: LatencyRun): string[][] {
  return run.results.map((r) => [
    modeLabel(r.mode),
    rateLabel(r.rate),
    `${si(r.achievedRate)}/s`,
    r.mode === "echo" ? "—" : int(r.windows),
    int(r.rows),
    ms(r.latency.p50Ms),
    ms(r.latency.p99Ms),
    ms(r.latency.p999Ms),
    ms(r.latency.maxMs),
    r.mode === "echo" ? "—" : int(r.check.missingWindows),
    r.mode === "echo" ? "—" : int(r.check.missingRows),
    int(r.check.lostRecords),
    r.weirCpu === null ? "—" : `${Math.round(r.weirCpu * 100)}%`,
  ]);
}

/** Rates the publisher did not hold (below 98% of the target). */
function shortfalls(run: LatencyRun): LatencyResult[] {
  return run.results.filter((r) => r.achievedRate < 0.98 * r.rate);
}

/** The mean latency over the rows of `results`. */
function meanOf(results: LatencyResult[]): number | null {
  const rows = results.reduce((a, r) => a + r.rows, 0);
  return rows > 0 ? results.reduce((a, r) => a + r.latency.meanMs * r.rows, 0) / rows : null;
}

/** Share of the micro-batch rates' time spent in the pauses at whole seconds. */
function pausedShare(run: LatencyRun): string {
  const micro = run.results.filter((r) => r.mode === "micro-batch");
  const paused = micro.reduce((a, r) => a + r.pausedMs / 1000, 0);
  const total = micro.reduce((a, r) => a + r.seconds, 0);
  return total > 0 ? `${Math.round((100 * paused) / total)}%` : "—";
}

function targetLine(run: LatencyRun): string {
  const t = run.target;
  const what = `continuous p99 < ${t.p99Ms} ms at ${rateLabel(t.rate)}`;
  if (t.measuredP99Ms === null) return `Target ${what}: not measured in this run.`;
  return `Target ${what}: **${t.met ? "met" : "not met"}** (p99 ${ms(t.measuredP99Ms)} ms).`;
}

export function latencyText(run: LatencyRun): string {
  const lines = [
    `latency: window close → result row on the sink subject, ${run.conditions.keys} keys, tumbling ${run.conditions.windowMs / 1000} s, ` +
      `one record per message, ${run.conditions.seconds} s per rate${run.quick ? " (--quick)" : ""}`,
    "",
    textTable(HEAD, rows(run), ALIGN),
    "",
    targetLine(run).replace(/\*\*/g, ""),
  ];
  const short = shortfalls(run);
  if (short.length > 0) lines.push(`publisher fell short (below 98% of the rate): ${short.map((r) => `${r.mode} ${rateLabel(r.rate)} → ${si(r.achievedRate)}/s`).join(", ")}`);
  return lines.join("\n");
}

function chart(run: LatencyRun): string {
  const bars = run.results.flatMap((r) =>
    (["p50", "p99"] as const).map((p) => {
      const v = p === "p50" ? r.latency.p50Ms : r.latency.p99Ms;
      return { label: `${modeLabel(r.mode)} · ${rateLabel(r.rate)} · ${p}`, value: Number.isFinite(v) ? v : 0, note: `${ms(v)} ms`, group: r.mode };
    }),
  );
  return writeChart("latency", {
    title: "Window close → result row (ms, lower is better)",
    unit: "milliseconds, per result row",
    bars,
    reference: { value: run.target.p99Ms, label: `target p99 ${run.target.p99Ms} ms` },
  });
}

export function latencyMarkdown(run: LatencyRun): string {
  const c = run.conditions;
  const m = run.machine;
  const date = m.date.slice(0, 10);
  const micro = run.results.filter((r) => r.mode === "micro-batch");
  const weirModes = run.modes.filter((x) => x.mode !== "echo");
  const windowed = run.results.filter((r) => r.mode !== "echo");
  const hasEcho = run.results.some((r) => r.mode === "echo");
  const parts = [
    "## latency: from window close to result row, `weir edge` on core NATS",
    "",
    "How long after a window closes its result rows reach the sink subject: one live pipeline reading a core NATS subject " +
      "and publishing each row to a core NATS subject, at fixed input rates, in continuous mode and in micro-batch mode, next to " +
      "a bare Node.js process that echoes messages (the floor on this machine). " +
      `Newest run: ${date}${run.quick ? " (`--quick`: rougher figures)" : ""}.`,
    "",
    targetLine(run),
    "",
    "### Conditions",
    "",
    `- **Pipeline** (\`weir edge\`, a child process, WASM kernel): source \`nats\` (core subject, msgpack), key \`deviceId\`, ` +
      `tumbling ${c.windowMs / 1000} s windows, \`maxOutOfOrderness: ${c.maxOutOfOrdernessMs}\`, aggregates \`count()\`, \`avg(temp)\`, ` +
      `\`max(temp)\`, sink \`nats\` (core subject, JSON, one message per row), checkpoints at the default 10 s to the server's KV bucket. ` +
      `Continuous mode, then micro-batch with \`trigger: ${c.triggerMs}ms\`, each in a fresh process.`,
    `- **Input**: records \`{ deviceId, ts, temp }\`, one per message (plain msgpack), \`deviceId\` round robin over ${c.keys} devices, ` +
      "`ts` the wall clock (ms) when the record is published. Rates " +
      c.rates.map(rateLabel).join(", ") +
      ` for ${c.seconds} s each, back to back, after a ${c.warmup.seconds} s warm-up at ${rateLabel(c.warmup.rate)} (not measured).`,
    `- **Publisher and row subscriber** run in the benchmark process (two connections); \`weir edge\` and nats-server ${run.versions.natsServer} ` +
      `(private, loopback) are child processes on the same machine, so both ends read one clock. nats.js ${run.versions.natsJs}, msgpackr ${run.versions.msgpackr}.`,
    `- **Machine**: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}. The benchmark process, \`weir edge\` and ` +
      "nats-server share the cores; the machine is shared and noisy.",
    "",
    "### Results",
    "",
    "Latency of a row: its arrival on the sink subject minus the publish time of the record that closed its window. " +
      "With `maxOutOfOrderness: 0` the watermark is `max ts − 1`, and a window `[s, s + 1 s)` completes when a record with " +
      "`ts ≥ s + 1 s` is taken in (docs/semantics.md, Firing and lateness): the first record published in the next second. " +
      `Each window gives one sample per key (up to ${c.keys}); windows whose records and closing record belong to the same rate are measured. ` +
      "Percentiles come from a log-linear (HDR) histogram, exact to 1 µs below 2 ms and within 0.1% above. " +
      "**child CPU**: the CPU time per second of `weir edge` (or of the echo process) during the rate, 100% = one core.",
    "",
    markdownTable(HEAD, rows(run), ALIGN),
    "",
    chart(run),
    "",
    "Per window, the latency of its last row (the whole window delivered):",
    "",
    markdownTable(
      ["mode", "rate", "windows", "p50 ms", "max ms"],
      windowed.map((r) => [r.mode, rateLabel(r.rate), int(r.windowLast.count), ms(r.windowLast.p50Ms), ms(r.windowLast.maxMs)]),
      ["l", "r", "r", "r", "r"],
    ),
    "",
    "### Check",
    "",
    "Every window the published records closed (warm-up included) must produce one row per key that has records in it, and " +
      "the rows' Σ n must equal the records published into it. Missing windows (no row at all), missing rows and lost records " +
      "(Σ n short of the records published, which includes the records of missing rows) are counted in the table; rows for " +
      "windows never published to, or arriving before their window closed, would be counted too: " +
      weirModes.map((x) => `${x.mode} ${x.unexpectedRows + x.earlyRows}`).join(", ") +
      ". Warm-up: " +
      weirModes.map((x) => `${x.mode}: windows ${x.warmupCheck.closedWindows}, rows missing ${x.warmupCheck.missingRows}`).join("; ") +
      ". weir's own count of records taken in (its \"pipeline stopped\" line) against records published: " +
      weirModes.map((x) => `${x.mode} ${int(x.stopped.recordsIn)} of ${int(x.publishedRecords)}${x.dropWarnings ? ` (${x.dropWarnings} drop or slow-consumer warnings)` : ""}`).join(", ") +
      ".",
    "",
    "### Notes",
    "",
    `- The publisher wakes about every millisecond and publishes what the rate owes; when it falls more than ${c.maxOwedMs} ms of ` +
      "messages behind it skips the excess rather than bursting, and the achieved column shows the rate it held.",
    ...(shortfalls(run).length > 0
      ? [
          "- The publisher **fell short** of these rates (below 98%) in this run: " +
            shortfalls(run)
              .map((r) => `${modeLabel(r.mode)} ${rateLabel(r.rate)}: ${si(r.achievedRate)} msgs/s`)
              .join("; ") +
            `. The benchmark process used at most ${Math.round(100 * Math.max(...run.results.map((r) => r.benchCpu)))}% of a core, so the ` +
            "shortfall comes from its timer waking more than 10 ms late, which happens when other processes hold both cores.",
        ]
      : ["- The publisher held every rate (at least 98% of it)."]),
    "- Records published in the same millisecond carry the same `ts`; the closing record is the first one of a new second, and its publish " +
      "time is when it was handed to nats.js (nats.js writes at the end of the current task).",
    ...(micro.length > 0
      ? [
          `- Micro-batch mode closes a batch every ${c.triggerMs} ms and fires the windows its watermark closes at the end of the batch, ` +
            `so a row waits for the next trigger: about ${c.triggerMs / 2} ms on average and up to ${c.triggerMs} ms more than in continuous mode. ` +
            "weir's trigger runs at a steady period from the moment it starts, so windows ending on whole seconds would meet it at nearly the same " +
            `point of its cycle all run long. In micro-batch mode the publisher therefore pauses at every whole second for a random 0–${c.triggerMs} ms ` +
            "(seeded) and never sends the messages of the pause: the closing record lands anywhere in the cycle. The achieved rate leaves the pauses out " +
            `(they take ${pausedShare(run)} of the time). With ${micro[0]?.windows ?? 0} windows per rate, each micro-batch row rests on that ` +
            `many points of the cycle, so its percentiles are rough; over all micro-batch rows of this run the mean is ${ms(meanOf(micro))} ms.`,
        ]
      : []),
    ...(hasEcho
      ? [
          "- **echo (reference)**: a bare Node.js process on nats.js (`node -e`, child process) that republishes one message in " +
            `${ECHO_STRIDE} it receives, unchanged, to the output subject; each message back is a sample: its arrival minus its publish time ` +
            "(core NATS keeps one publisher's order, so the k-th message back is known). It is the floor under any pipeline here: two hops " +
            "through nats-server and one Node.js event loop on this machine, without decoding, windows or encoding. Its rows column counts " +
            "messages back, its lost column messages due back that did not come.",
        ]
      : []),
    `- \`weir edge\` checkpoints every 10 s (its default): ${c.seconds >= 10 ? "each rate holds one checkpoint" : "a rate may hold a checkpoint"}, ` +
      "which waits for the sinks to flush and writes the state to the KV bucket while records queue; its effect is in the figures.",
    "- A sample is a row, so a slow window weighs as many samples as it has keys; the per-window table shows the same data by window.",
    "- Raw results, with each histogram's percentiles from 0 to 100: `bench/results/latency.json` (`quick: true` marks smoke runs).",
  ];
  return parts.join("\n");
}
