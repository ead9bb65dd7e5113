/** What the ingest benchmark's contenders are given and what each reports for one transport. */
import type { NatsConnection } from "@nats-io/transport-node";
import type { ExpectedOutcome } from "../edge/data.js";
import type { CorePublisher, PublisherReport } from "./publisher.js";
import type { IngestNatsServer } from "./server.js";

export type Transport = "jetstream" | "core";

export const TRANSPORT_TITLE: Record<Transport, string> = {
  jetstream: "JetStream (stream filled before timing)",
  core: "core NATS (published while the consumer runs)",
};

export interface IngestInput {
  transport: Transport;
  /** Which round this run is (0 first): a contender with durable state (a JetStream consumer, a checkpoint) names it per round. */
  round: number;
  url: string;
  server: IngestNatsServer;
  /** Records in the data set: one per message. */
  records: number;
  expected: ExpectedOutcome;
  /** JetStream: the filled stream (null on core NATS). */
  stream: string | null;
  /** The stream's subject, or the subject the publisher sends to. */
  subject: string;
  /** Core NATS: the publisher process, asked to send once the consumer listens. */
  publisher: CorePublisher | null;
  /** The benchmark's own connection (asks the publisher to send). */
  control: NatsConnection;
  /** A folder for files a contender writes (removed with the server). */
  dir: string;
}

/** weir-only figures: its own counters and what its sink received. */
export interface WeirFigures {
  /** From spawn to its "pipeline running" line, not timed. */
  startupSeconds: number;
  /** The "pipeline stopped" log line. */
  recordsIn: number;
  rowsOut: number;
  late: number;
  deadLettered: number;
  /** Rows received from its sink subject, and sums over them. */
  sinkRows: number;
  sumN: number;
  sumMax: number;
  sumAvg: number;
  /** Its log lines about dropped core NATS messages (a full inbox). */
  dropWarnings: number;
}

export interface IngestMeasurement {
  /** Seconds of the timed region (see the contender's method). */
  seconds: number;
  /** Records and messages the contender took in (checked against the input). */
  records: number;
  messages: number;
  /** Slow-consumer events the consumer's NATS client reported (not a loss by itself). */
  slowConsumerEvents: number;
  /** Connections the server cut off as slow consumers during the run (a loss). */
  serverSlowConsumers: number;
  /** Core NATS: how long the publisher took to send everything. */
  publisher: PublisherReport | null;
  weir: WeirFigures | null;
}

export interface IngestContender {
  /** (a) .. (d): how the docs and the targets refer to it. */
  readonly letter: string;
  readonly name: string;
  /** What is timed and what is not, on either transport, for the docs. */
  readonly method: string;
  /** Measures one transport; throws a WeirError when it did not see the input whole. */
  run(input: IngestInput, log: (line: string) => void): Promise<IngestMeasurement>;
}
