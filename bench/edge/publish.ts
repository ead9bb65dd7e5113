/**
 * Fills a case's input stream before anything is timed: the records packed
 * per message as the case says, published pipelined and awaited in groups.
 */
import { jetstream, jetstreamManager, StorageType } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { pack } from "msgpackr";
import { WeirError } from "../../src/index.js";
import type { EdgeCase } from "./cases.js";
import { recordAt, type EdgeData } from "./data.js";

/** Publishes in flight before they are awaited together. */
const GROUP = 1000;

export interface Published {
  records: number;
  messages: number;
  bytes: number;
  seconds: number;
}

/** Creates the case's stream and publishes `records` records of `d` into it. */
export async function publishCase(nc: NatsConnection, c: EdgeCase, d: EdgeData, records: number): Promise<Published> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: c.stream, subjects: [c.subject], storage: StorageType.File });
  const js = jetstream(nc);
  const t0 = performance.now();
  let acks: Promise<unknown>[] = [];
  let messages = 0;
  let bytes = 0;
  for (let i = 0; i < records; i += c.recordsPerMessage) {
    const end = Math.min(records, i + c.recordsPerMessage);
    let payload: Uint8Array;
    if (c.recordsPerMessage === 1) payload = pack(recordAt(d, i));
    else {
      const batch = new Array(end - i);
      for (let j = i; j < end; j++) batch[j - i] = recordAt(d, j);
      payload = pack(batch);
    }
    acks.push(js.publish(c.subject, payload));
    messages++;
    bytes += payload.length;
    if (acks.length >= GROUP) {
      await Promise.all(acks);
      acks = [];
    }
  }
  await Promise.all(acks);
  const seconds = (performance.now() - t0) / 1000;
  const held = (await jsm.streams.info(c.stream)).state.messages;
  if (held !== messages) throw new WeirError("BENCH_SETUP", `${c.stream}: published ${messages} messages, the stream holds ${held}`);
  return { records, messages, bytes, seconds };
}
