/**
 * Runs every contender on both transports against one private nats-server:
 * the publisher process generates and encodes the data once; JetStream
 * first (fill the stream, untimed, then each contender reads all of it),
 * then core NATS (each contender subscribes, then the publisher sends
 * everything at full speed). On each transport the contenders take turns
 * for `rounds[transport]` rounds; each run is checked against the input.
 */
import { jetstreamManager, StorageType, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { WeirError } from "../../src/index.js";
import { connectNats } from "../../edge/nats/connection.js";
import { expectedOutcome, type ExpectedOutcome } from "../edge/data.js";
import type { Log } from "../lib/log.js";
import { si } from "../lib/report.js";
import { disagreements } from "./check.js";
import type { IngestContender, IngestInput, IngestMeasurement, Transport } from "./contender.js";
import { generateIngestData, USE_RECORDS, type IngestShape } from "./data.js";
import { CorePublisher } from "./publisher.js";
import { ingestResult, type IngestResult } from "./run-record.js";
import { IngestNatsServer } from "./server.js";

const STREAM = "BENCH_INGEST";
const JS_SUBJECT = "bench.ingest.js";
const CORE_SUBJECT = "bench.ingest.core";
/** Waiting for the stream to hold every published message: give up when its count stops growing this long. */
const FILL_STALL_MS = 10_000;
/** A pause after filling, so that the server's writing of the stream does not overlap the first contender. */
const SETTLE_MS = 2000;

export interface IngestMeasurements {
  natsServer: string;
  expected: ExpectedOutcome;
  bytes: number;
  jetstreamFill: { seconds: number; messagesPerSec: number };
  results: IngestResult[];
}

/** @throws WeirError `BENCH_MISMATCH` when a contender did not take in the whole input. */
export async function measureIngest(
  shape: IngestShape,
  contenders: readonly IngestContender[],
  transports: readonly Transport[],
  rounds: Record<Transport, number>,
  log: Log,
): Promise<IngestMeasurements> {
  const data = generateIngestData(shape);
  const expected = expectedOutcome(data);
  if (expected.sumN !== shape.records - 1) throw new WeirError("BENCH_SETUP", `the data closes windows holding ${expected.sumN} records, not every record but the last`);
  const server = await IngestNatsServer.start();
  log(`ingest: nats-server at ${server.url}, store in ${server.dir}`);
  try {
    const control = await connectNats(server.url, "weir-bench-ingest-control");
    let publisher: CorePublisher | null = null;
    try {
      publisher = await CorePublisher.start(server.url, shape, USE_RECORDS, [JS_SUBJECT, CORE_SUBJECT]);
      log(`ingest: publisher ready: ${publisher.messages.toLocaleString("en-US")} messages, ${(publisher.bytes / publisher.messages).toFixed(1)} bytes each`);
      const jsm = await jetstreamManager(control);
      const fill = await fillStream(jsm, control, publisher, shape.records);
      log(`ingest: stream ${STREAM} filled in ${fill.seconds.toFixed(1)} s (${si(fill.messagesPerSec)} msgs/s)`);
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      const out: IngestMeasurements = { natsServer: control.info?.version ?? "unknown", expected, bytes: publisher.bytes, jetstreamFill: fill, results: [] };
      for (const transport of transports) {
        const input: IngestInput = {
          transport,
          round: 0,
          url: server.url,
          server,
          records: shape.records,
          expected,
          stream: transport === "jetstream" ? STREAM : null,
          subject: transport === "jetstream" ? JS_SUBJECT : CORE_SUBJECT,
          publisher: transport === "core" ? publisher : null,
          control,
          dir: server.dir,
        };
        // The contenders take turns, round after round, so that a slow spell of the machine weighs on all of them.
        const runs = contenders.map((): IngestMeasurement[] => []);
        const ceilings: (number | null)[] = [];
        const n = rounds[transport];
        for (let round = 0; round < n; round++) {
          const label = n > 1 ? ` round ${round + 1}/${n}` : "";
          for (const [i, c] of contenders.entries()) {
            log(`ingest/${transport}${label}: (${c.letter}) ${c.name}`);
            const m = await c.run({ ...input, round }, log);
            const problems = disagreements(c, input, m);
            if (problems.length > 0) throw new WeirError("BENCH_MISMATCH", problems.join("; "));
            const rate = input.records / m.seconds;
            if (c.letter === "a") ceilings[round] = rate;
            const ceiling = ceilings[round] ?? null;
            log(`ingest/${transport}${label}: (${c.letter}) ${c.name}: ${si(rate)} records/s (${m.seconds.toFixed(3)} s)${ceiling ? `, ${(rate / ceiling).toFixed(3)}× (a)` : ""}`);
            runs[i]!.push(m);
          }
        }
        contenders.forEach((c, i) => out.results.push(ingestResult(transport, c, input.records, runs[i]!, c.letter === "a" ? [] : ceilings)));
      }
      return out;
    } finally {
      await publisher?.stop();
      await control.close();
    }
  } finally {
    await server.stop();
  }
}

/** Creates the stream and has the publisher send every message into it; returns when the stream holds them all. */
async function fillStream(jsm: JetStreamManager, control: NatsConnection, publisher: CorePublisher, messages: number) {
  await jsm.streams.add({ name: STREAM, subjects: [JS_SUBJECT], storage: StorageType.File });
  const pub = publisher.publish(control, JS_SUBJECT);
  await pub.done;
  let seen = -1;
  let changedAt = Date.now();
  for (;;) {
    const held = (await jsm.streams.info(STREAM)).state.messages;
    if (held === messages) break;
    if (held !== seen) {
      seen = held;
      changedAt = Date.now();
    }
    if (held > messages || Date.now() - changedAt > FILL_STALL_MS) throw new WeirError("BENCH_SETUP", `${STREAM}: published ${messages} messages, the stream holds ${held}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = (performance.now() - pub.started) / 1000;
  return { seconds, messagesPerSec: Math.round(messages / seconds) };
}
