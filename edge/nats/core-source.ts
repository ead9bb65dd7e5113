/**
 * A core NATS subject (wildcards allowed, optional queue group). Core NATS
 * cannot be paused: messages that find the inbox full are dropped and
 * counted, and the client's slow-consumer events are counted too. Neither
 * is silent: both are metrics and logged.
 *
 * The subscription reads its own {@link WireConnection}, which hands each
 * payload to the pipeline as positions in the socket's bytes. With
 * `connection: shared`, or where that connection cannot serve the URL
 * (TLS), it subscribes through the nats.js connection instead.
 */
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import type { Codec } from "../codec/payload.js";
import { NOT_TAKEN, type Inbox } from "../runtime/inbox.js";
import type { Logger } from "../runtime/log.js";
import type { LiveSource, SourceItem, SourceStats } from "../sources/live-source.js";
import { openOwnConnection, type WireConnection } from "./wire-connection.js";
import { copyBytes, textAt } from "./wire-parser.js";

export interface CoreSourceOptions {
  subject: string;
  queue?: string;
  codec: Codec;
  /** Messages the client may hold for this subscription before it counts as slow (nats.js client). */
  maxPending: number;
  /** The NATS URL, for the source's own connection; null: subscribe through `nc`. */
  url?: string | null;
}

export class CoreNatsSource implements LiveSource {
  readonly replayable = false;
  private sub: Subscription | null = null;
  private wire: WireConnection | null = null;
  private subscribed: Promise<void> | null = null;
  private readonly counts: SourceStats = { dropped: 0, slowConsumer: 0 };
  private done: () => void = () => {};

  constructor(readonly name: string, private readonly nc: NatsConnection, private readonly opts: CoreSourceOptions, private readonly log: Logger) {}

  get codec(): Codec {
    return this.opts.codec;
  }

  get id(): string {
    return `nats:${this.opts.subject}`;
  }

  get describe(): string {
    return `nats ${this.opts.subject}${this.opts.queue ? ` (queue ${this.opts.queue})` : ""}`;
  }

  start(inbox: Inbox<SourceItem>, index: number): Promise<void> {
    this.subscribed = this.subscribe(inbox, index);
    return new Promise<void>((resolve) => (this.done = resolve));
  }

  async ready(): Promise<void> {
    await this.subscribed;
    if (this.wire) await this.wire.flush();
    else await this.nc.flush();
  }

  private async subscribe(inbox: Inbox<SourceItem>, index: number): Promise<void> {
    const wire = await openOwnConnection(this.opts.url, `weir-source-${this.name}`, this.log);
    if (wire) {
      this.wire = wire;
      // a subject without wildcards is every message's subject: one object for all dead letters
      const fixed = /[*>]/.test(this.opts.subject) ? null : { subject: this.opts.subject };
      wire.subscribe(
        this.opts.subject,
        (buf, start, end, _rs, _re, _hs, _he, ss, se) => {
          if (inbox.deliver(index, buf, start, end) !== NOT_TAKEN) return;
          this.queue(inbox, { source: index, data: copyBytes(buf, start, end), msg: fixed ?? { subject: textAt(buf, ss, se) } });
        },
        this.opts.queue,
      );
      return;
    }
    const sub = this.nc.subscribe(this.opts.subject, {
      queue: this.opts.queue,
      slow: this.opts.maxPending,
      callback: (err, m) => {
        if (err) return;
        if (inbox.deliver(index, m.data) !== NOT_TAKEN) return;
        this.queue(inbox, { source: index, data: m.data, msg: m });
      },
    });
    this.sub = sub;
    void (async () => {
      for await (const s of this.nc.status()) {
        if (s.type === "slowConsumer" && s.sub === sub) {
          this.counts.slowConsumer++;
          this.log.warn("slow consumer", { source: this.name, pending: s.pending });
        }
      }
    })().catch(() => {});
  }

  private queue(inbox: Inbox<SourceItem>, item: SourceItem): void {
    if (inbox.offer(item)) return;
    if (this.counts.dropped++ % 10_000 === 0) this.log.warn("inbox full: dropping core NATS messages", { source: this.name, dropped: this.counts.dropped });
  }

  async stop(): Promise<void> {
    await this.subscribed?.catch(() => undefined);
    if (this.wire) this.wire.close();
    else if (this.sub && !this.sub.isClosed()) await this.sub.drain().catch(() => this.sub?.unsubscribe());
    this.done();
  }

  async close(): Promise<void> {
    this.wire?.close();
  }

  stats(): SourceStats {
    return { ...this.counts };
  }
}
