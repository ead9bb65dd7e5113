/**
 * The bare nats.js consumers, in the benchmark's own process (which does
 * nothing else while they run): (a) counts messages and nothing more, the
 * ceiling of ingest through nats.js in one Node.js process; (b) also
 * decodes every payload with msgpackr, set up as weir's codec is.
 *
 * JetStream: a durable pull consumer read with `consume()`, holding as many
 * messages as weir's source does (which pulls the same way over its own
 * connection). Core NATS: a callback subscription; the publisher process is
 * asked to send once the subscription is registered at the server.
 */
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { Msg, NatsConnection } from "@nats-io/transport-node";
import { Unpackr } from "msgpackr";
import { WeirError } from "../../src/index.js";
import { connectNats } from "../../edge/nats/connection.js";
import type { IngestContender, IngestInput, IngestMeasurement } from "./contender.js";

/** Messages the client holds (weir's JetStream source default, `maxInFlight`). */
export const MAX_MESSAGES = 1000;
/** Unacknowledged messages the server allows (as weir's JetStream source sets it). */
const MAX_ACK_PENDING = 200_000;
/** Acknowledge (AckPolicy.All) every this many messages, so max_ack_pending is never reached. */
const ACK_EVERY = 10_000;
/** Pending messages before nats.js reports a slow consumer (weir's `maxPending` default). */
export const SLOW_PENDING = 65_536;
/** Give up when no message arrives for this long. */
const STALL_MS = 15_000;

/** The decoder weir's codec uses (edge/codec/payload.ts). */
const unpackr = new Unpackr({ useRecords: true, mapsAsObjects: true });

function recordsIn(data: Uint8Array): number {
  const v = unpackr.unpack(data) as unknown;
  if (Array.isArray(v)) return v.length;
  return typeof v === "object" && v !== null ? 1 : 0;
}

/** Counts the client's slow-consumer events until the connection closes. */
function watchSlow(nc: NatsConnection): { count: () => number } {
  let n = 0;
  void (async () => {
    for await (const s of nc.status()) if (s.type === "slowConsumer") n++;
  })().catch(() => {});
  return { count: () => n };
}

export function bareContender(decode: boolean): IngestContender {
  const name = decode ? "nats.js + msgpackr" : "nats.js count";
  return {
    letter: decode ? "b" : "a",
    name,
    method: decode
      ? "As (a), and unpacks every payload with msgpackr (an `Unpackr` set up as weir's codec) and counts the records it holds."
      : "In the benchmark's own process, which does nothing else meanwhile; counts messages and nothing more. On JetStream a durable " +
        `pull consumer (AckPolicy.All, acknowledged every ${ACK_EVERY.toLocaleString("en-US")} messages) read with ` +
        `\`consume({ max_messages: ${MAX_MESSAGES} })\` (weir's source pulls the same way, with the same limit, over its own connection), timed from the \`consume()\` call; on core NATS a ` +
        "callback subscription (weir's core source reads its own connection), timed from the request to the publisher (sent once the server has " +
        "registered the subscription). The clock stops when the last message is taken in.",
    run: (input, log) => (input.transport === "jetstream" ? runJetStream(input, decode, name) : runCore(input, decode, name, log)),
  };
}

async function runJetStream(input: IngestInput, decode: boolean, name: string): Promise<IngestMeasurement> {
  const stream = input.stream!;
  const durable = decode ? "bench-bare-decode" : "bench-bare-count";
  const nc = await connectNats(input.url, `weir-bench-${durable}`);
  try {
    const slow = watchSlow(nc);
    const slowBefore = await input.server.slowConsumers();
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.add(stream, {
      durable_name: durable,
      ack_policy: AckPolicy.All,
      deliver_policy: DeliverPolicy.All,
      max_ack_pending: MAX_ACK_PENDING,
      ack_wait: 10 * 60 * 1e9,
      filter_subject: input.subject,
    });
    const consumer = await jetstream(nc).consumers.get(stream, durable);
    let records = 0;
    let messages = 0;
    let stalled = false;
    const t0 = performance.now();
    const iter = await consumer.consume({ max_messages: MAX_MESSAGES });
    let seen = -1;
    let changedAt = Date.now();
    const watchdog = setInterval(() => {
      if (messages !== seen) {
        seen = messages;
        changedAt = Date.now();
      } else if (Date.now() - changedAt > STALL_MS) {
        stalled = true;
        void iter.close();
      }
    }, 500);
    let seconds = 0;
    try {
      for await (const m of iter) {
        if (decode) records += recordsIn(m.data);
        else records++;
        messages++;
        if (messages % ACK_EVERY === 0) m.ack();
        if (messages >= input.records) {
          m.ack();
          break;
        }
      }
      seconds = (performance.now() - t0) / 1000;
    } finally {
      clearInterval(watchdog);
      await iter.close().catch(() => undefined);
    }
    if (stalled) throw new WeirError("BENCH_STALL", `${name}: no message for ${STALL_MS / 1000} s after ${messages} of ${input.records}`);
    await nc.flush();
    await jsm.consumers.delete(stream, durable);
    const serverSlowConsumers = (await input.server.slowConsumers()) - slowBefore;
    return { seconds, records, messages, slowConsumerEvents: slow.count(), serverSlowConsumers, publisher: null, weir: null };
  } finally {
    await nc.close();
  }
}

async function runCore(input: IngestInput, decode: boolean, name: string, log: (line: string) => void): Promise<IngestMeasurement> {
  const nc = await connectNats(input.url, `weir-bench-bare-${decode ? "decode" : "count"}`);
  try {
    const slow = watchSlow(nc);
    const slowBefore = await input.server.slowConsumers();
    const want = input.records;
    let records = 0;
    let messages = 0;
    let lastAt = 0;
    let onAll: () => void = () => {};
    const all = new Promise<void>((r) => (onAll = r));
    const callback = decode
      ? (err: Error | null, m: Msg) => {
          if (err) return;
          records += recordsIn(m.data);
          if (++messages === want) {
            lastAt = performance.now();
            onAll();
          }
        }
      : (err: Error | null) => {
          if (err) return;
          records++;
          if (++messages === want) {
            lastAt = performance.now();
            onAll();
          }
        };
    const sub = nc.subscribe(input.subject, { slow: SLOW_PENDING, callback });
    await nc.flush();
    const pub = input.publisher!.publish(input.control, input.subject);
    let report = null;
    let timer: NodeJS.Timeout | undefined;
    try {
      const stalled = new Promise<void>((resolve) => {
        let seen = -1;
        let changedAt = Date.now();
        timer = setInterval(() => {
          if (messages !== seen) {
            seen = messages;
            changedAt = Date.now();
          } else if (Date.now() - changedAt > STALL_MS) resolve();
        }, 500);
      });
      await Promise.race([all, stalled, pub.done]);
      report = await pub.done;
      log(`${name}: publisher sent ${report.messages.toLocaleString("en-US")} messages in ${report.seconds.toFixed(2)} s`);
      await Promise.race([all, stalled]);
    } finally {
      clearInterval(timer);
      sub.unsubscribe();
    }
    if (messages < want) throw new WeirError("BENCH_MISMATCH", `${name} (core NATS): took in ${messages} of ${want} messages: ${want - messages} lost (no message for ${STALL_MS / 1000} s)`);
    const serverSlowConsumers = (await input.server.slowConsumers()) - slowBefore;
    return { seconds: (lastAt - pub.started) / 1000, records, messages, slowConsumerEvents: slow.count(), serverSlowConsumers, publisher: report, weir: null };
  } finally {
    await nc.close();
  }
}
