/**
 * NATS sinks. Core NATS: fire and forget (flush = the server has them).
 * JetStream: publishes are pipelined, up to WINDOW unacknowledged at once,
 * each with a deterministic Nats-Msg-Id so the stream drops a message it
 * already holds (a replay after a crash). A publish that fails (no server,
 * no stream yet, timeout) is retried with the same id until it is
 * acknowledged: soon after it fails, not only when the window fills or a
 * checkpoint flushes, so that a pipeline that writes little still delivers.
 */
import { DiscardPolicy, jetstream, jetstreamManager, StorageType, type JetStreamClient, type PubAck } from "@nats-io/jetstream";
import { headers as natsHeaders, type MsgHdrs, type NatsConnection } from "@nats-io/transport-node";
import { PUBLISH_SUBJECT_RULE, publishableSubject, WeirError } from "../../src/runtime.js";
import { encodePayload, type Codec } from "../codec/payload.js";
import type { WireConnection } from "../nats/wire-connection.js";
import type { Logger } from "../runtime/log.js";
import type { OutMessage, OutputSink } from "./output-sink.js";

/** Unacknowledged JetStream publishes before `write` asks the caller to wait. */
const WINDOW = 1024;
/** After a JetStream publish fails, the sink settles (and re-sends what failed) this much later. */
const RETRY_MS = 500;

/** A header value on one line: NATS headers end at a line break. */
const oneLine = (v: string) => v.replace(/[\r\n]+/g, " ");

function toHeaders(h: Record<string, string> | undefined): MsgHdrs | undefined {
  if (!h) return undefined;
  const out = natsHeaders();
  for (const [k, v] of Object.entries(h)) out.set(k, oneLine(v));
  return out;
}

export class NatsSink implements OutputSink {
  constructor(private readonly nc: NatsConnection, private readonly subject: string, private readonly codec: Codec) {}
  get describe(): string {
    return `nats ${this.subject}`;
  }
  write(m: OutMessage): void {
    const data = m.data ?? encodePayload(m.value, this.codec);
    // no options object for a plain row: this runs once per result row
    if (m.headers) this.nc.publish(m.subject ?? this.subject, data, { headers: toHeaders(m.headers) });
    else this.nc.publish(m.subject ?? this.subject, data);
  }
  async flush(): Promise<void> {
    await this.nc.flush();
  }
  async close(): Promise<void> {
    await this.flush();
  }
}

/** A NATS header block (`NATS/1.0`, then `Key: value` lines), values on one line each. */
function headerBlock(h: Record<string, string>): string {
  let out = "NATS/1.0\r\n";
  for (const [k, v] of Object.entries(h)) out += `${k}: ${oneLine(v)}\r\n`;
  return out + "\r\n";
}

/**
 * The core NATS sink on its own connection: each message is a protocol
 * frame queued on the connection, and the frames of one drain leave in one
 * socket write. A JSON row is written as its text, without a buffer of its
 * own. While the server is away, messages are held (up to
 * MAX_HELD_BYTES) and sent after the reconnection; `flush` waits for it.
 */
export class WireNatsSink implements OutputSink {
  /** JSON rows as text (OutputSink.writeText); absent with the msgpack codec. */
  readonly writeText?: (text: string) => void;

  constructor(private readonly conn: WireConnection, private readonly subject: string, private readonly codec: Codec) {
    if (!publishableSubject(subject)) throw new WeirError("NATS_SUBJECT", `cannot publish to "${subject}": ${PUBLISH_SUBJECT_RULE}`);
    if (codec === "json") this.writeText = (text) => conn.queuePublish(subject, text);
  }
  get describe(): string {
    return `nats ${this.subject}`;
  }
  write(m: OutMessage): void {
    const subject = m.subject ?? this.subject;
    // a JSON row goes out as text: the connection encodes the frames of a drain together
    const payload = m.data ?? (this.codec === "json" ? JSON.stringify(m.value) : encodePayload(m.value, this.codec));
    this.conn.queuePublish(subject, payload, m.headers ? headerBlock(m.headers) : undefined);
  }
  flush(): Promise<void> {
    return this.conn.delivered();
  }
  async close(): Promise<void> {
    await this.flush();
    this.conn.close();
  }
}

export interface JetStreamSinkOptions {
  stream: string;
  subject: string;
  codec: Codec;
  create: boolean;
  maxBytes?: number;
  duplicateWindow?: number;
  /** Subjects the created stream captures (default: `subject`). */
  subjects?: string[];
}

interface Pending {
  subject: string;
  data: Uint8Array;
  id: string;
  headers?: MsgHdrs;
  ack: Promise<PubAck>;
}

export class JetStreamSink implements OutputSink {
  readonly keepsIds = true;
  private readonly js: JetStreamClient;
  private pending: Pending[] = [];
  private closed = false;
  /** The last settling: settles run one after the other (writes, flushes and retries). */
  private settling: Promise<void> = Promise.resolve();
  private retry: NodeJS.Timeout | null = null;
  duplicates = 0;

  private constructor(private readonly nc: NatsConnection, private readonly opts: JetStreamSinkOptions, private readonly log: Logger) {
    this.js = jetstream(nc);
  }

  /** Creates the stream first when `create` is set (and it does not exist). */
  static async open(nc: NatsConnection, opts: JetStreamSinkOptions, log: Logger): Promise<JetStreamSink> {
    if (opts.create) {
      const jsm = await jetstreamManager(nc);
      try {
        await jsm.streams.info(opts.stream);
      } catch {
        await jsm.streams.add({
          name: opts.stream,
          subjects: opts.subjects ?? [opts.subject],
          storage: StorageType.File,
          duplicate_window: (opts.duplicateWindow ?? 120_000) * 1_000_000,
          ...(opts.maxBytes ? { max_bytes: opts.maxBytes, discard: DiscardPolicy.New } : {}),
        });
        log.info("created stream", { stream: opts.stream, subject: opts.subject });
      }
    }
    return new JetStreamSink(nc, opts, log);
  }

  get describe(): string {
    return `jetstream ${this.opts.stream} (${this.opts.subject})`;
  }

  write(m: OutMessage): Promise<void> | void {
    const data = m.data ?? encodePayload(m.value, this.opts.codec);
    this.send({ subject: m.subject ?? this.opts.subject, data, id: m.id, headers: toHeaders(m.headers) });
    if (this.pending.length >= WINDOW) return this.settle();
  }

  async flush(): Promise<void> {
    while (this.pending.length > 0) await this.settle();
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  async backlogBytes(): Promise<number | null> {
    try {
      const jsm = await jetstreamManager(this.nc);
      return (await jsm.streams.info(this.opts.stream)).state.bytes;
    } catch {
      return null;
    }
  }

  private send(p: Omit<Pending, "ack">): void {
    const ack = this.js.publish(p.subject, p.data, { msgID: p.id, headers: p.headers, timeout: 10_000 });
    ack.catch(() => this.retrySoon()); // re-sent by a settle
    this.pending.push({ ...p, ack });
  }

  /** A publish failed: settle everything a little later (unless a write or flush does first). */
  private retrySoon(): void {
    if (this.retry || this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.flush().catch((e: unknown) => this.log.warn("publish retry failed", { sink: this.describe, reason: String((e as Error)?.message ?? e) }));
    }, RETRY_MS);
    this.retry.unref();
  }

  /** Waits for the oldest half of the window; re-sends what failed, in order. One settle at a time. */
  private settle(): Promise<void> {
    const run = this.settling.then(() => this.settleOnce());
    this.settling = run.catch(() => {});
    return run;
  }

  private async settleOnce(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending.splice(0, Math.max(1, this.pending.length >> 1));
    const results = await Promise.allSettled(batch.map((p) => p.ack));
    const failed: Pending[] = [];
    results.forEach((r, i) => {
      if (r.status === "fulfilled") {
        if (r.value.duplicate) this.duplicates++;
      } else failed.push(batch[i]!);
    });
    if (failed.length === 0) return;
    if (this.closed) throw new Error(`${failed.length} messages to ${this.describe} could not be published`);
    this.log.warn("publish failed; retrying", { sink: this.describe, messages: failed.length, reason: String((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason?.message) });
    await new Promise((r) => setTimeout(r, 500));
    const rest = this.pending;
    this.pending = [];
    for (const p of failed) this.send(p);
    for (const p of rest) this.pending.push(p);
  }
}
