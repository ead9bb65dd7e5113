/**
 * Reads a JetStream pull consumer over a {@link WireConnection}: the
 * requests `consume()` would send, without a message object per message.
 *
 * Flow: at most `maxInFlight` messages are requested and not yet received
 * or waiting here for room in the inbox; a new request asks for what is
 * free once a quarter of it is. Requests expire after 30 s (the server
 * then says how many it did not deliver) and carry a heartbeat: when
 * neither a message nor a heartbeat arrives for two heartbeats, the
 * requests are taken as lost and made again, as after a reconnection.
 * Messages are never dropped here: what the inbox cannot take waits in
 * order, and no more is requested meanwhile.
 */
import { NOT_TAKEN, TAKEN, type Ack, type Inbox } from "../runtime/inbox.js";
import type { Logger } from "../runtime/log.js";
import type { SourceItem } from "../sources/live-source.js";
import type { WireConnection } from "./wire-connection.js";
import { copyBytes, headerNumber, statusCode, textAt } from "./wire-parser.js";

const EXPIRES_MS = 30_000;
const HEARTBEAT_MS = 5_000;
const MS = 1_000_000;
const IDLE_HEARTBEAT = 100;
const ACK = "+ACK";

/** Acknowledges (AckPolicy.All) the newest message the pipeline took on the direct lane: its reply subject's bytes, copied. */
class NewestTaken implements Ack {
  private bytes = new Uint8Array(128);
  private length = 0;

  constructor(private readonly wire: WireConnection) {}

  set(b: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (n > this.bytes.length) this.bytes = new Uint8Array(2 * n);
    for (let i = 0; i < n; i++) this.bytes[i] = b[start + i]!;
    this.length = n;
  }

  ack(): void {
    if (this.length > 0) this.wire.publish(textAt(this.bytes, 0, this.length), ACK);
  }
}

export class JetStreamPull {
  private readonly inboxSubject = `_INBOX.weir.${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  /** Messages requested and not received yet. */
  private outstanding = 0;
  /** Messages received that the inbox had no room for, in order. */
  private readonly waiting: SourceItem[] = [];
  private draining = false;
  /** Messages and heartbeats received (a count, not a clock read per message), and timer ticks with none while requests were outstanding. */
  private heard = 0;
  private heardAtTick = 0;
  private silentTicks = 0;
  private readonly newest: NewestTaken;
  private readonly timer: NodeJS.Timeout;
  private readonly sid: number;
  private stopped = false;
  private lastStatus = 0;

  constructor(
    private readonly wire: WireConnection,
    private readonly o: { stream: string; durable: string; maxInFlight: number; source: string; sequenceOf: (b: Uint8Array, start: number, end: number) => number },
    private readonly inbox: Inbox<SourceItem>,
    private readonly index: number,
    private readonly log: Logger,
  ) {
    this.newest = new NewestTaken(wire);
    this.sid = wire.subscribe(this.inboxSubject, (b, start, end, rs, re, hs, he, ss, se) => this.message(b, start, end, rs, re, hs, he, ss, se));
    wire.onReconnect(() => this.reset());
    this.timer = setInterval(() => {
      this.silentTicks = this.heard === this.heardAtTick && this.outstanding > 0 ? this.silentTicks + 1 : 0;
      this.heardAtTick = this.heard;
      // two heartbeat intervals (10 s) without a word: the requests are lost
      if (this.silentTicks >= 2) this.reset();
      else this.pull();
    }, HEARTBEAT_MS);
    this.timer.unref();
    this.pull();
  }

  /** Stops requesting and taking messages (what the server sends after is redelivered later). */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.wire.unsubscribe(this.sid);
  }

  /** Requests lost (reconnection, missed heartbeats): ask again from nothing outstanding. */
  private reset(): void {
    this.outstanding = 0;
    this.silentTicks = 0;
    this.pull();
  }

  private pull(): void {
    const max = this.o.maxInFlight;
    const free = max - this.outstanding - this.waiting.length;
    if (this.stopped || !this.wire.connected || free < Math.max(1, max >> 2)) return;
    this.outstanding += free;
    const request = `{"batch":${free},"expires":${EXPIRES_MS * MS},"idle_heartbeat":${HEARTBEAT_MS * MS}}`;
    this.wire.publish(`$JS.API.CONSUMER.MSG.NEXT.${this.o.stream}.${this.o.durable}`, request, this.inboxSubject);
  }

  private message(b: Uint8Array, start: number, end: number, rs: number, re: number, hs: number, he: number, ss: number, se: number): void {
    this.heard++;
    if (this.stopped) return;
    if (rs === re) return this.status(b, hs, he);
    if (this.outstanding > 0) this.outstanding--;
    const seq = this.o.sequenceOf(b, rs, re);
    if (this.waiting.length === 0) {
      const d = this.inbox.deliver(this.index, b, start, end, seq, this.newest);
      if (d === TAKEN) this.newest.set(b, rs, re);
      if (d === NOT_TAKEN) {
        const item = this.item(b, start, end, rs, re, ss, se, seq);
        if (!this.inbox.offer(item)) this.wait(item);
      }
    } else this.wait(this.item(b, start, end, rs, re, ss, se, seq));
    this.pull();
  }

  /** A message without a reply subject: a heartbeat, or the end of a request and why. */
  private status(b: Uint8Array, hs: number, he: number): void {
    const code = statusCode(b, hs, he);
    if (code === IDLE_HEARTBEAT) return;
    const left = headerNumber(b, hs, he, "Nats-Pending-Messages");
    if (left > 0) this.outstanding = Math.max(0, this.outstanding - left);
    if (code !== 408 && code !== 404 && code !== this.lastStatus) {
      // 409: the consumer was deleted, a limit was reached, leadership changed: requests are retried on the heartbeat timer
      this.log.warn("JetStream pull request ended", { source: this.o.source, status: code, detail: textAt(b, hs, he).split("\r\n")[0] });
    }
    this.lastStatus = code;
    this.pull();
  }

  private item(b: Uint8Array, start: number, end: number, rs: number, re: number, ss: number, se: number, seq: number): SourceItem {
    const reply = textAt(b, rs, re);
    return { source: this.index, data: copyBytes(b, start, end), msg: { subject: textAt(b, ss, se) }, seq, ack: { ack: () => this.wire.publish(reply, ACK) } };
  }

  /** Queues `item` behind the others waiting; they enter the inbox in order as it makes room. */
  private wait(item: SourceItem): void {
    this.waiting.push(item);
    if (this.draining) return;
    this.draining = true;
    void (async () => {
      while (this.waiting.length > 0 && !this.stopped) {
        await this.inbox.put(this.waiting[0]!);
        this.waiting.shift();
      }
      this.draining = false;
      this.pull();
    })();
  }
}
