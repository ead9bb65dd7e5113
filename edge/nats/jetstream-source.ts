/**
 * A JetStream stream read by a durable pull consumer with `consume()`,
 * holding at most `maxInFlight` messages in the client.
 *
 * Exactly-once: the pipeline checkpoints the stream sequence of the last
 * message whose effect is in its state. On start the durable is
 * re-created to deliver from the sequence after the checkpoint (or from the
 * stream's start with no checkpoint), so nothing before it is read twice and
 * nothing after it is skipped. Messages are acknowledged (AckPolicy.All:
 * one ack covers every earlier message) only after a checkpoint holds
 * them; redeliveries of a message already seen are skipped by sequence.
 *
 * The messages are pulled over the source's own {@link WireConnection}
 * (`$JS.API.CONSUMER.MSG.NEXT`, as `consume()` pulls: a new request once a
 * quarter of `maxInFlight` is free, heartbeats to notice a lost request),
 * each handed to the pipeline as positions in the socket's bytes. With
 * `connection: shared`, or where that connection cannot serve the URL
 * (TLS), nats.js `consume()` reads them.
 */
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, StorageType, type ConsumerMessages, type JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Codec } from "../codec/payload.js";
import type { Inbox } from "../runtime/inbox.js";
import type { Logger } from "../runtime/log.js";
import type { LiveSource, SourceItem, SourceStats } from "../sources/live-source.js";
import { JetStreamPull } from "./jetstream-pull.js";
import { openOwnConnection, type WireConnection } from "./wire-connection.js";

export interface JetStreamSourceOptions {
  stream: string;
  subjects?: readonly string[];
  durable: string;
  create: boolean;
  codec: Codec;
  maxInFlight: number;
  /** Unacknowledged messages the server lets the consumer have (a checkpoint acks them). */
  maxAckPending: number;
  /** Resume after this stream sequence (from a checkpoint); null = from the start. */
  startAfter: number | null;
  /** The NATS URL, for the source's own connection; null: read through `nc`. */
  url?: string | null;
}

const MS = 1_000_000;

const utf8 = new TextEncoder();
const ACK_PREFIX = utf8.encode("$JS.ACK.");

/**
 * The stream sequence of a JetStream message from its reply subject, without
 * building the whole delivery info (that took ~11% of a JetStream pipeline's
 * CPU): `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.…` (9 tokens) or, with
 * domains, `$JS.ACK.<domain>.<hash>.<stream>.<consumer>.<delivered>.<sseq>.…`.
 * Returns 0 when the subject has neither shape.
 */
export function streamSequence(reply: string | Uint8Array | undefined, start = 0, end = -1): number {
  if (!reply) return 0;
  const b = typeof reply === "string" ? utf8.encode(reply) : reply;
  if (end < 0) end = b.length;
  if (end - start < ACK_PREFIX.length) return 0;
  for (let i = 0; i < ACK_PREFIX.length; i++) if (b[start + i] !== ACK_PREFIX[i]) return 0;
  // One pass: the digits of tokens 5 and 7 (the sequence in either shape) and the number of dots.
  let dots = 0;
  let seq5 = 0;
  let seq7 = 0;
  for (let i = start + ACK_PREFIX.length; i < end; i++) {
    const c = b[i]!;
    if (c === 46) dots++;
    else if (dots === 3) seq5 = c >= 48 && c <= 57 && seq5 >= 0 ? seq5 * 10 + (c - 48) : -1;
    else if (dots === 5) seq7 = c >= 48 && c <= 57 && seq7 >= 0 ? seq7 * 10 + (c - 48) : -1;
  }
  // dots counted after "$JS.ACK.": 6 for 9 tokens, 8 or more with a domain
  const seq = dots === 6 ? seq5 : dots >= 8 ? seq7 : 0;
  return seq > 0 ? seq : 0;
}

/**
 * The reply subject's bytes as nats.js 3 received them (JsMsg → Msg → its
 * parsed arguments), so that reading the sequence decodes no string; the
 * decoded subject when that shape is not there.
 */
function replyOf(m: JsMsg): Uint8Array | string | undefined {
  const raw = (m as unknown as { msg?: { _msg?: { reply?: unknown } } }).msg?._msg?.reply;
  return raw instanceof Uint8Array ? raw : (m as unknown as { reply?: string }).reply;
}

export class JetStreamSource implements LiveSource {
  readonly replayable = true;
  private messages: ConsumerMessages | null = null;
  private wire: WireConnection | null = null;
  private pull: JetStreamPull | null = null;
  private stopped = false;

  private constructor(readonly name: string, private readonly nc: NatsConnection, private readonly opts: JetStreamSourceOptions, private readonly log: Logger) {}

  /** Checks (or creates) the stream and re-creates the durable at the resume position. */
  static async open(name: string, nc: NatsConnection, opts: JetStreamSourceOptions, log: Logger): Promise<JetStreamSource> {
    const jsm = await jetstreamManager(nc);
    try {
      await jsm.streams.info(opts.stream);
    } catch (e) {
      if (!opts.create) throw new Error(`stream ${opts.stream} does not exist (set create: true to create it): ${(e as Error).message}`);
      if (!opts.subjects?.length) throw new Error(`source.jetstream.subjects: needed to create stream ${opts.stream}`);
      await jsm.streams.add({ name: opts.stream, subjects: [...opts.subjects], storage: StorageType.File });
      log.info("created stream", { stream: opts.stream, subjects: opts.subjects });
    }
    await jsm.consumers.delete(opts.stream, opts.durable).catch(() => false);
    await jsm.consumers.add(opts.stream, {
      durable_name: opts.durable,
      ack_policy: AckPolicy.All,
      ...(opts.startAfter === null ? { deliver_policy: DeliverPolicy.All } : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: opts.startAfter + 1 }),
      ack_wait: 10 * 60_000 * MS,
      max_ack_pending: opts.maxAckPending,
      ...(opts.subjects?.length === 1 ? { filter_subject: opts.subjects[0] } : {}),
    });
    log.info("consumer ready", { stream: opts.stream, durable: opts.durable, resumeAfter: opts.startAfter });
    return new JetStreamSource(name, nc, opts, log);
  }

  get codec(): Codec {
    return this.opts.codec;
  }

  get id(): string {
    return `jetstream:${this.opts.stream}`;
  }

  get describe(): string {
    return `jetstream ${this.opts.stream} (durable ${this.opts.durable})`;
  }

  async start(inbox: Inbox<SourceItem>, index: number): Promise<void> {
    const wire = await openOwnConnection(this.opts.url, `weir-source-${this.name}`, this.log);
    if (wire) {
      this.wire = wire;
      if (this.stopped) return;
      const { stream, durable, maxInFlight } = this.opts;
      this.pull = new JetStreamPull(wire, { stream, durable, maxInFlight, source: this.name, sequenceOf: streamSequence }, inbox, index, this.log);
      // unbounded: returns only when stopped
      return new Promise<void>(() => {});
    }
    const consumer = await jetstream(this.nc).consumers.get(this.opts.stream, this.opts.durable);
    this.messages = await consumer.consume({ max_messages: this.opts.maxInFlight });
    for await (const m of this.messages) {
      if (this.stopped) break;
      // the message itself acknowledges (AckPolicy.All: it and every one before it)
      const item: SourceItem = { source: index, data: m.data, msg: m, seq: streamSequence(replyOf(m)) || m.seq, ack: m };
      if (!inbox.offer(item)) await inbox.put(item); // a promise only when the inbox is full
    }
    // unbounded: returns only when stopped
    await new Promise<void>(() => {});
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pull?.stop();
    await this.messages?.close().catch(() => undefined);
  }

  /** After the last checkpoint has acknowledged what the pipeline holds: closes the source's own connection. */
  async close(): Promise<void> {
    await this.wire?.flush().catch(() => undefined);
    this.wire?.close();
  }

  stats(): SourceStats {
    return { dropped: 0, slowConsumer: 0 };
  }
}
