/**
 * A core NATS subject (wildcards allowed, optional queue group). Core NATS
 * cannot be paused: messages that find the inbox full are dropped and
 * counted, and the client's slow-consumer events are counted too. Neither
 * is silent: both are metrics and logged.
 */
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import type { Codec } from "../codec/payload.js";
import type { Inbox } from "../runtime/inbox.js";
import type { Logger } from "../runtime/log.js";
import type { LiveSource, SourceItem, SourceStats } from "../sources/live-source.js";

export interface CoreSourceOptions {
  subject: string;
  queue?: string;
  codec: Codec;
  /** Messages the client may hold for this subscription before it counts as slow. */
  maxPending: number;
}

export class CoreNatsSource implements LiveSource {
  readonly replayable = false;
  private sub: Subscription | null = null;
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
    const sub = this.nc.subscribe(this.opts.subject, {
      queue: this.opts.queue,
      slow: this.opts.maxPending,
      callback: (err, m) => {
        if (err) return;
        if (inbox.deliver(index, m.data)) return;
        if (!inbox.offer({ source: index, data: m.data, msg: m })) {
          if (this.counts.dropped++ % 10_000 === 0) this.log.warn("inbox full: dropping core NATS messages", { source: this.name, dropped: this.counts.dropped });
        }
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
    return new Promise<void>((resolve) => (this.done = resolve));
  }

  async ready(): Promise<void> {
    await this.nc.flush();
  }

  async stop(): Promise<void> {
    if (this.sub && !this.sub.isClosed()) await this.sub.drain().catch(() => this.sub?.unsubscribe());
    this.done();
  }

  stats(): SourceStats {
    return { ...this.counts };
  }
}
