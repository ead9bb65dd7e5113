/** One run of the ingest benchmark as `bench/results/ingest.json` keeps it (in `runs`, newest last). */
import type { Machine } from "../lib/machine.js";
import type { IngestMeasurement, Transport } from "./contender.js";
import type { IngestShape } from "./data.js";

export interface IngestConditions {
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
  seconds: number;
  recordsPerSec: number;
  /** records/s ÷ (a)'s records/s on the same transport. */
  ratio: number;
  slowConsumerEvents: number;
  serverSlowConsumers: number;
  /** Core NATS: how long the publisher took to send every message, and its rate. */
  publisherSeconds: number | null;
  publisherMessagesPerSec: number | null;
  /** weir only: from spawn to "pipeline running" (not timed), and rows written. */
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

export function ingestResult(transport: Transport, c: { letter: string; name: string }, records: number, m: IngestMeasurement, ceiling: number | null): IngestResult {
  const recordsPerSec = Math.round(records / m.seconds);
  return {
    transport,
    letter: c.letter,
    contender: c.name,
    seconds: round(m.seconds, 3)!,
    recordsPerSec,
    ratio: Number((ceiling ? recordsPerSec / ceiling : 1).toFixed(3)),
    slowConsumerEvents: m.slowConsumerEvents,
    serverSlowConsumers: m.serverSlowConsumers,
    publisherSeconds: m.publisher ? round(m.publisher.seconds, 3) : null,
    publisherMessagesPerSec: m.publisher ? Math.round(m.publisher.messages / m.publisher.seconds) : null,
    startupSeconds: m.weir ? round(m.weir.startupSeconds, 3) : null,
    rowsOut: m.weir ? m.weir.rowsOut : null,
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
