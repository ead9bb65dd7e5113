/** One run of the ingest benchmark as `bench/results/ingest.json` keeps it (in `runs`, newest last). */
import type { Machine } from "../lib/machine.js";
import { median } from "../lib/stats.js";
import type { IngestMeasurement, Transport } from "./contender.js";
import type { IngestShape } from "./data.js";

export interface IngestConditions {
  /** Per transport, times each contender ran, taking turns with the others (figures are medians over them). */
  rounds: Record<Transport, number>;
  records: number;
  /** One record per message. */
  messages: number;
  /** Bytes of all payloads, and per message on average. */
  bytes: number;
  bytesPerMessage: number;
  codec: string;
  /** msgpackr record structures (`useRecords`) in the published messages. */
  recordStructures: boolean;
  fields: string[];
  keys: number;
  key: string;
  window: string;
  aggregates: Record<string, string>;
  maxOutOfOrderness: string;
  /** Records per second of event time. */
  eventRecordsPerSecond: number;
  /** Windows the data closes, the rows they hold and Σ n over them. */
  closedWindows: number;
  expectedRows: number;
  expectedSumN: number;
  modes: { mode: string; trigger: string | null }[];
  sink: string;
  checkpointInterval: string;
  maxInFlight: number;
  core: {
    maxPending: string;
    writeDeadline: string;
    /** How the publisher sends (a process of its own). */
    publisher: string;
    slowPending: number;
  };
}

export interface IngestResult {
  transport: Transport;
  letter: string;
  contender: string;
  /** Median over the rounds of the seconds timed and of records/s. */
  seconds: number;
  recordsPerSec: number;
  /** Median over the rounds of records/s ÷ (a)'s records/s in the same round, on the same transport. */
  ratio: number;
  /** The seconds and ratio of each round (the contenders take turns: a, b, c, d, a, b, ...). */
  roundSeconds: number[];
  roundRatios: number[];
  /** Summed over the rounds. */
  slowConsumerEvents: number;
  serverSlowConsumers: number;
  /** Core NATS: how long the publisher took to send every message, and its rate (median over the rounds). */
  publisherSeconds: number | null;
  publisherMessagesPerSec: number | null;
  /** weir only: from spawn to "pipeline running" (not timed; median), and rows written (each round). */
  startupSeconds: number | null;
  rowsOut: number | null;
}

export interface IngestTarget {
  transport: Transport;
  letter: string;
  contender: string;
  /** Smallest ratio to (a) that weir aims for. */
  atLeast: number;
  ratio: number;
  met: boolean;
}

export interface IngestRun {
  machine: Machine;
  /** `--quick`: a tenth of the records. */
  quick: boolean;
  data: IngestShape;
  conditions: IngestConditions;
  versions: { natsServer: string; natsJs: string; msgpackr: string };
  /** Filling the JetStream stream before timing (core NATS publishes into its subject). */
  jetstreamFill: { seconds: number; messagesPerSec: number };
  results: IngestResult[];
  targets: IngestTarget[];
}

const round = (x: number | null, digits: number) => (x === null ? null : Number(x.toFixed(digits)));

/**
 * One contender's result over its rounds: `ms[i]` is its measurement in
 * round i, `ceilings[i]` (a)'s records/s in that round (null for (a)).
 */
export function ingestResult(
  transport: Transport,
  c: { letter: string; name: string },
  records: number,
  ms: readonly IngestMeasurement[],
  ceilings: readonly (number | null)[],
): IngestResult {
  const rates = ms.map((m) => records / m.seconds);
  const ratios = rates.map((r, i) => (ceilings[i] ? r / ceilings[i]! : 1));
  const pubs = ms.flatMap((m) => (m.publisher ? [m.publisher] : []));
  const startups = ms.flatMap((m) => (m.weir ? [m.weir.startupSeconds] : []));
  const last = ms[ms.length - 1]!;
  return {
    transport,
    letter: c.letter,
    contender: c.name,
    seconds: round(median(ms.map((m) => m.seconds)), 3)!,
    recordsPerSec: Math.round(median(rates)),
    ratio: Number(median(ratios).toFixed(3)),
    roundSeconds: ms.map((m) => round(m.seconds, 3)!),
    roundRatios: ratios.map((r) => Number(r.toFixed(3))),
    slowConsumerEvents: ms.reduce((n, m) => n + m.slowConsumerEvents, 0),
    serverSlowConsumers: ms.reduce((n, m) => n + m.serverSlowConsumers, 0),
    publisherSeconds: pubs.length > 0 ? round(median(pubs.map((p) => p.seconds)), 3) : null,
    publisherMessagesPerSec: pubs.length > 0 ? Math.round(median(pubs.map((p) => p.messages / p.seconds))) : null,
    startupSeconds: startups.length > 0 ? round(median(startups), 3) : null,
    rowsOut: last.weir ? last.weir.rowsOut : null,
  };
}

/** weir's targets: its records/s as a share of (a)'s, per transport and mode. */
export const TARGETS: readonly { transport: Transport; letter: string; atLeast: number }[] = [
  { transport: "core", letter: "c", atLeast: 0.7 },
  { transport: "core", letter: "d", atLeast: 0.5 },
  { transport: "jetstream", letter: "c", atLeast: 0.8 },
  { transport: "jetstream", letter: "d", atLeast: 0.8 },
];

export function judgeTargets(results: readonly IngestResult[]): IngestTarget[] {
  return TARGETS.flatMap((t) => {
    const r = results.find((x) => x.transport === t.transport && x.letter === t.letter);
    return r ? [{ transport: t.transport, letter: t.letter, contender: r.contender, atLeast: t.atLeast, ratio: r.ratio, met: r.ratio >= t.atLeast }] : [];
  });
}
