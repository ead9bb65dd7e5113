/**
 * A lean NATS connection for the data path: one TCP socket, subscriptions
 * whose messages are handed on as byte positions ({@link WireParser}),
 * publishes for JetStream pulls and acks, and a sink's queued publishes
 * ({@link WireConnection.queuePublish}), sent together in one socket write
 * per task and held while disconnected. Everything else (stream and
 * consumer management, JetStream sinks, the KV checkpoint store) uses the
 * nats.js connection.
 *
 * It reconnects by itself (every 500 ms, rotating over the servers of the
 * URL, for as long as it is open) and subscribes again; a source learns of
 * it through `onReconnect`. It speaks plain TCP only: when a server
 * requires TLS, {@link WireConnection.open} returns null and the source
 * uses the nats.js client instead.
 *
 * Credentials come from the URL as the nats.js client reads them:
 * `nats://user:pass@host:4222`, or `nats://token@host:4222`.
 */
import { connect as tcpConnect, type Socket } from "node:net";
import { WeirError } from "../../src/runtime.js";
import type { Logger } from "../runtime/log.js";
import { WireParser, type WireEvents } from "./wire-parser.js";

/** A subscription's message handler: see {@link WireEvents.msg} (without the sid). */
export type WireHandler = (buf: Uint8Array, start: number, end: number, replyStart: number, replyEnd: number, headerStart: number, headerEnd: number, subjectStart: number, subjectEnd: number) => void;

interface Server {
  host: string;
  port: number;
  user?: string;
  pass?: string;
  token?: string;
}

interface Subscription {
  subject: string;
  queue?: string;
}

/** The protocol line that (re-)subscribes. */
const subLine = (sid: number, s: Subscription) => `SUB ${s.subject}${s.queue ? ` ${s.queue}` : ""} ${sid}\r\n`;
/** The protocol line of a publish of `size` payload bytes: PUB, or HPUB when a header block of `hsize` bytes comes first. */
const pubLine = (subject: string, size: number, reply?: string, hsize?: number) =>
  hsize === undefined ? `PUB ${subject}${reply ? ` ${reply}` : ""} ${size}\r\n` : `HPUB ${subject}${reply ? ` ${reply}` : ""} ${hsize} ${hsize + size}\r\n`;

const RECONNECT_WAIT_MS = 500;
const CONNECT_TIMEOUT_MS = 10_000;
/** Bytes of the socket's read buffer (one per connection, reused by every read): what a stream reads at once. */
const READ_BUFFER_BYTES = 64 * 1024;
/** Failed reconnection attempts between two warnings (the first is always logged): every 30 s. */
const RECONNECT_LOG_EVERY = 60;
/** A PING this often; two unanswered in a row: the server is taken as gone (a link that died without closing). */
const PING_INTERVAL_MS = 30_000;
const MAX_PINGS_OUT = 2;
/** Queued publishes held while disconnected, at most (bytes); beyond it they are dropped and counted. */
export const MAX_HELD_BYTES = 8 * 1024 * 1024;
/** A server's max_payload when its INFO does not say (nats-server's default). */
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

/** The servers of a NATS URL list (`nats://a:4222,nats://b:4222`); null when one needs TLS (`tls://`). */
export function wireServers(url: string): Server[] | null {
  const out: Server[] = [];
  for (const raw of url.split(",").map((s) => s.trim()).filter(Boolean)) {
    const withScheme = /^[a-z]+:\/\//i.test(raw) ? raw : `nats://${raw}`;
    const u = new URL(withScheme);
    if (u.protocol !== "nats:") return null;
    const user = u.username ? decodeURIComponent(u.username) : undefined;
    const pass = u.password ? decodeURIComponent(u.password) : undefined;
    out.push({ host: u.hostname.replace(/^\[|\]$/g, ""), port: u.port ? Number(u.port) : 4222, ...(user !== undefined && pass !== undefined ? { user, pass } : user !== undefined ? { token: user } : {}) });
  }
  return out.length > 0 ? out : null;
}

/**
 * A source's or sink's own connection (named `name` at the server), or
 * null when it should go through the nats.js client: no URL, a server
 * that requires TLS, or one that cannot be reached now (logged; the
 * nats.js client keeps trying on its own).
 */
export async function openOwnConnection(url: string | null | undefined, name: string, log: Logger): Promise<WireConnection | null> {
  if (!url) return null;
  try {
    return await WireConnection.open(url, name, log);
  } catch (e) {
    log.warn("own NATS connection failed: using the shared client", { connection: name, error: (e as Error).message });
    return null;
  }
}

export class WireConnection {
  private socket: Socket | null = null;
  private readonly subs = new Map<number, Subscription>();
  private nextSid = 1;
  private closed = false;
  private serverIndex = 0;
  private readonly pongs: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private readonly reconnectListeners: (() => void)[] = [];
  private readonly handlers: (WireHandler | undefined)[] = [];
  /** Disconnections so far (a metric for the source's log), and reconnection attempts that failed. */
  disconnects = 0;
  failedReconnects = 0;
  private pingsOut = 0;
  private readonly pinger: NodeJS.Timeout;
  /** Queued publishes (protocol frames) not yet written: sent at the end of the task, or after a reconnection. */
  private outbox: (string | Uint8Array)[] = [];
  /** Payload and header bytes in the outbox (what MAX_HELD_BYTES bounds). */
  private outboxBytes = 0;
  private outboxScheduled = false;
  /** Queued publishes dropped because {@link MAX_HELD_BYTES} were already held while disconnected (in all, and in this outage). */
  dropped = 0;
  private droppedWhileDown = 0;
  /** The server's largest payload (its INFO's max_payload). */
  maxPayload = DEFAULT_MAX_PAYLOAD;
  private readonly reconnectWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];

  private constructor(private readonly servers: Server[], private readonly name: string, private readonly log: Logger, pingIntervalMs: number) {
    this.pinger = setInterval(() => this.checkAlive(), pingIntervalMs);
    this.pinger.unref();
  }

  /** Sends a PING; closes the socket (and so reconnects) when the last ones went unanswered. */
  private checkAlive(): void {
    if (!this.socket) return;
    if (this.pingsOut >= MAX_PINGS_OUT) {
      this.log.warn("NATS server stopped answering: reconnecting", { connection: this.name });
      this.socket.destroy();
      return;
    }
    this.pingsOut++;
    this.flush().then(
      () => (this.pingsOut = 0),
      () => undefined,
    );
  }

  /**
   * Connects to the first server that answers (trying each once). Null
   * when this connection cannot serve the URL (TLS); throws when no
   * server could be reached.
   */
  static async open(url: string, name: string, log: Logger, o: { pingIntervalMs?: number } = {}): Promise<WireConnection | null> {
    const servers = wireServers(url);
    if (!servers) return null;
    const c = new WireConnection(servers, name, log, o.pingIntervalMs ?? PING_INTERVAL_MS);
    let last: unknown = null;
    for (let i = 0; i < servers.length; i++) {
      try {
        if (await c.attach()) return c;
        c.close();
        return null;
      } catch (e) {
        last = e;
        c.serverIndex = (c.serverIndex + 1) % servers.length;
      }
    }
    c.close();
    throw last;
  }

  /** Subscribes; messages go to `handler` until {@link unsubscribe}. Registered at the server by the next {@link flush}. */
  subscribe(subject: string, handler: WireHandler, queue?: string): number {
    const sid = this.nextSid++;
    const s = { subject, queue };
    this.subs.set(sid, s);
    this.handlers[sid] = handler;
    this.write(subLine(sid, s));
    return sid;
  }

  unsubscribe(sid: number): void {
    if (!this.subs.delete(sid)) return;
    this.handlers[sid] = undefined;
    this.write(`UNSUB ${sid}\r\n`);
  }

  /**
   * Publishes `payload` (dropped while disconnected: callers re-send what
   * matters after `onReconnect`). One socket write per message: each write
   * is a system call, and a pull every 250 messages made three of them
   * cost 5% of a JetStream pipeline.
   */
  publish(subject: string, payload: string, reply?: string): void {
    this.write(`${pubLine(subject, Buffer.byteLength(payload), reply)}${payload}\r\n`);
  }

  /**
   * Queues a publish of `payload` (a string is sent as UTF-8) with an
   * optional header block (`NATS/1.0` lines, as sent). Every frame queued
   * in one task goes out in one socket write at its end; while
   * disconnected they are held, up to {@link MAX_HELD_BYTES}, and sent
   * after the reconnection. Throws `NATS_MAX_PAYLOAD` for a message larger
   * than the server accepts (nats.js refuses it the same way).
   */
  queuePublish(subject: string, payload: string | Uint8Array, headers?: string): void {
    const size = typeof payload === "string" ? Buffer.byteLength(payload) : payload.length;
    const hsize = headers === undefined ? 0 : Buffer.byteLength(headers);
    if (size + hsize > this.maxPayload) {
      throw new WeirError("NATS_MAX_PAYLOAD", `a message of ${size + hsize} bytes to ${subject} is larger than the server's max_payload (${this.maxPayload})`);
    }
    if (!this.socket && this.outboxBytes + size + hsize > MAX_HELD_BYTES) {
      this.dropped++;
      if (this.droppedWhileDown++ === 0) this.log.warn("NATS connection down and its send buffer full: dropping messages", { connection: this.name, heldBytes: this.outboxBytes });
      return;
    }
    const line = headers === undefined ? pubLine(subject, size) : pubLine(subject, size, undefined, hsize) + headers;
    this.outboxBytes += size + hsize;
    if (typeof payload === "string") this.enqueue(`${line}${payload}\r\n`);
    else {
      this.enqueue(line);
      this.outbox.push(payload);
      this.enqueue("\r\n");
    }
  }

  /** Appends a frame (or its text part) to the outbox, joining text to the text before it, and schedules the send. */
  private enqueue(text: string): void {
    const last = this.outbox.length - 1;
    if (last >= 0 && typeof this.outbox[last] === "string") this.outbox[last] += text;
    else this.outbox.push(text);
    if (this.outboxScheduled) return;
    this.outboxScheduled = true;
    queueMicrotask(() => {
      this.outboxScheduled = false;
      this.sendOutbox();
    });
  }

  /** Writes the outbox in one go (one system call), when connected. */
  private sendOutbox(): void {
    const socket = this.socket;
    if (!socket || this.outbox.length === 0) return;
    if (this.outbox.length === 1) socket.write(this.outbox[0]!);
    else {
      socket.cork();
      for (const part of this.outbox) socket.write(part);
      socket.uncork();
    }
    this.outbox = [];
    this.outboxBytes = 0;
  }

  /**
   * Resolves once the server has everything queued and sent before: waits
   * through reconnections for as long as it takes; rejects only when the
   * connection is closed first.
   */
  async delivered(): Promise<void> {
    for (;;) {
      if (this.closed) throw new WeirError("NATS_CLOSED", `NATS connection ${this.name} is closed`);
      if (this.socket) {
        this.sendOutbox();
        try {
          return await this.flush();
        } catch {
          // lost meanwhile: what was sent may not have arrived; wait for the next connection
        }
      }
      if (!this.socket) await new Promise<void>((resolve, reject) => this.reconnectWaiters.push({ resolve, reject }));
    }
  }

  /** Resolves once the server has handled everything sent before (a PING answered), or rejects when disconnected meanwhile. */
  flush(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.write("PING\r\n")) return reject(new Error("NATS connection is down"));
      this.pongs.push({ resolve, reject });
    });
  }

  /** Called after every reconnection, once the subscriptions are registered again. */
  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  get connected(): boolean {
    return this.socket !== null;
  }

  close(): void {
    this.closed = true;
    for (const w of this.reconnectWaiters.splice(0)) w.reject(new WeirError("NATS_CLOSED", `NATS connection ${this.name} is closed`));
    clearInterval(this.pinger);
    this.socket?.end();
    this.socket?.destroy();
    this.socket = null;
  }

  private write(data: string | Uint8Array): boolean {
    if (!this.socket) return false;
    this.socket.write(data);
    return true;
  }

  /**
   * Opens a socket to the current server and completes the handshake
   * (INFO, CONNECT, the subscriptions, PING → PONG). False when the server
   * requires TLS.
   */
  private attach(): Promise<boolean> {
    const server = this.servers[this.serverIndex]!;
    return new Promise<boolean>((resolve, reject) => {
      let parser: WireParser | null = null;
      // Every read lands in one buffer of this socket's, read before the next
      // (the parser copies what it keeps): no buffer is allocated per read.
      const socket: Socket = tcpConnect({
        host: server.host,
        port: server.port,
        onread: {
          // (a plain Uint8Array, not a Buffer, so that slice() on it copies)
          buffer: new Uint8Array(READ_BUFFER_BYTES),
          callback: (n: number, buf: Uint8Array) => {
            try {
              parser!.feed(buf.subarray(0, n));
            } catch (e) {
              this.log.warn("NATS protocol error: reconnecting", { connection: this.name, error: (e as Error).message });
              socket.destroy();
            }
            return true;
          },
        },
      });
      socket.setNoDelay(true);
      let phase: "info" | "pong" | "open" = "info";
      const timer = setTimeout(() => fail(new Error(`NATS ${server.host}:${server.port}: no handshake within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      const fail = (e: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(e);
      };
      const events: WireEvents = {
        msg: (sid, buf, start, end, rs, re, hs, he, ss, se) => this.handlers[sid]?.(buf, start, end, rs, re, hs, he, ss, se),
        ping: () => socket.write("PONG\r\n"),
        pong: () => {
          if (phase === "pong") {
            phase = "open";
            clearTimeout(timer);
            this.socket = socket;
            this.pingsOut = 0;
            resolve(true);
          } else this.pongs.shift()?.resolve();
        },
        info: (json) => {
          if (phase !== "info") return; // later INFO: cluster updates, not needed here
          const info = JSON.parse(json) as { tls_required?: boolean; headers?: boolean; max_payload?: number };
          if (typeof info.max_payload === "number" && info.max_payload > 0) this.maxPayload = info.max_payload;
          if (info.tls_required) {
            clearTimeout(timer);
            socket.destroy();
            resolve(false);
            return;
          }
          const auth = server.user !== undefined ? { user: server.user, pass: server.pass } : server.token !== undefined ? { auth_token: server.token } : {};
          const connect = { verbose: false, pedantic: false, lang: "weir", version: "0.1.0", protocol: 1, headers: info.headers === true, no_responders: info.headers === true, name: this.name, ...auth };
          let out = `CONNECT ${JSON.stringify(connect)}\r\n`;
          for (const [sid, s] of this.subs) out += subLine(sid, s);
          socket.write(out + "PING\r\n");
          phase = "pong";
        },
        err: (text) => {
          if (phase !== "open") fail(new Error(`NATS ${server.host}:${server.port}: ${text}`));
          else this.log.warn("NATS server error", { connection: this.name, error: text });
        },
      };
      parser = new WireParser(events);
      socket.on("error", (e) => {
        if (phase !== "open") fail(e);
      });
      socket.on("close", () => {
        if (phase !== "open") return fail(new Error(`NATS ${server.host}:${server.port}: closed during the handshake`));
        if (this.socket === socket) this.socket = null;
        for (const p of this.pongs.splice(0)) p.reject(new Error("NATS connection lost")); // nothing more will be answered on this socket
        if (!this.closed) {
          this.disconnects++;
          this.log.warn("NATS connection lost: reconnecting", { connection: this.name, server: `${server.host}:${server.port}` });
          this.reconnect();
        }
      });
    });
  }

  private reconnect(): void {
    let failures = 0;
    const attempt = () => {
      if (this.closed) return;
      this.serverIndex = (this.serverIndex + 1) % this.servers.length;
      this.attach().then(
        (ok) => {
          if (!ok) {
            this.log.error("NATS server now requires TLS: this connection cannot reconnect", { connection: this.name });
            return;
          }
          if (this.closed) return this.close();
          this.log.info("NATS connection restored", { connection: this.name, ...(this.droppedWhileDown > 0 ? { droppedWhileDown: this.droppedWhileDown } : {}) });
          this.droppedWhileDown = 0;
          this.sendOutbox();
          for (const w of this.reconnectWaiters.splice(0)) w.resolve();
          for (const l of this.reconnectListeners) l();
        },
        (e: Error) => {
          // the first failure, then one in RECONNECT_LOG_EVERY: a server that is down or refuses (credentials) is never silent
          this.failedReconnects++;
          if (++failures === 1 || failures % RECONNECT_LOG_EVERY === 0) {
            this.log.warn("NATS reconnect failed: retrying", { connection: this.name, attempts: failures, error: e.message });
          }
          setTimeout(attempt, RECONNECT_WAIT_MS);
        },
      );
    };
    setTimeout(attempt, RECONNECT_WAIT_MS);
  }
}
