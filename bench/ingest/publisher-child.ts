/**
 * The ingest benchmark's publisher, a process of its own (so that it never
 * shares a thread with a consumer being measured):
 *
 *   node dist/bench/ingest/publisher-child.js '<PublisherConfig as JSON>'
 *
 * Generates the data from the seed and encodes every message with msgpackr,
 * then lays out the NATS protocol for each subject it may be asked to send
 * to (`PUB <subject> <size>␍␊<payload>␍␊` per message), all before it
 * reports ready. Asked on `goSubject` (`{ "subject": ... }`), it writes that
 * subject's bytes to a plain TCP connection to the server as fast as the
 * server reads them (the socket's backpressure paces it), confirms with a
 * PING/PONG round trip that the server has processed every message, and
 * replies with what it sent and how long it took.
 *
 * Why not nats.js: its `publish()` costs a few µs per message, which made
 * the publisher, not the consumer, set the pace of the bare counting
 * consumer on core NATS. The requests arrive over a nats.js connection.
 */
import { once } from "node:events";
import { connect as tcpConnect, type Socket } from "node:net";
import { connectNats } from "../../edge/nats/connection.js";
import { encodeMessages, generateIngestData, type EncodedMessages } from "./data.js";
import { READY_PREFIX, type PublisherConfig, type PublisherReport } from "./publisher.js";

/** Bytes handed to the socket per write (at least; a write ends with a whole message). */
const WRITE_BYTES = 256 * 1024;

const ascii = new TextEncoder();

/** Every message of `enc` as protocol, back to back, cut into writes that end at message boundaries. */
interface Protocol {
  bytes: Uint8Array;
  /** Ends of the writes: a PONG written between two writes never lands inside a message. */
  cuts: number[];
}

/** `PUB subject size\r\n payload \r\n` per message. */
function protocolBytes(enc: EncodedMessages, subject: string): Protocol {
  const crlf = ascii.encode("\r\n");
  let total = 0;
  for (let i = 0; i < enc.count; i++) {
    const size = enc.offsets[i + 1]! - enc.offsets[i]!;
    total += `PUB ${subject} ${size}\r\n`.length + size + 2;
  }
  const bytes = new Uint8Array(total);
  const cuts: number[] = [];
  let at = 0;
  for (let i = 0; i < enc.count; i++) {
    const payload = enc.bytes.subarray(enc.offsets[i]!, enc.offsets[i + 1]!);
    at += ascii.encodeInto(`PUB ${subject} ${payload.length}\r\n`, bytes.subarray(at)).written;
    bytes.set(payload, at);
    at += payload.length;
    bytes.set(crlf, at);
    at += 2;
    if (at - (cuts[cuts.length - 1] ?? 0) >= WRITE_BYTES) cuts.push(at);
  }
  if (at !== total) throw new Error(`protocol laid out ${at} of ${total} bytes`);
  if (cuts[cuts.length - 1] !== total) cuts.push(total);
  return { bytes, cuts };
}

/** A bare NATS protocol connection: CONNECT, answers the server's PINGs, and waits for PONGs. */
class RawConnection {
  private buffered = "";
  private readonly pongs: (() => void)[] = [];
  private error: string | null = null;
  private readonly closed: Promise<"closed">;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk.toString("latin1")));
    socket.on("error", (e) => (this.error ??= e.message));
    this.closed = once(socket, "close").then(() => "closed" as const);
  }

  static async open(url: string, name: string): Promise<RawConnection> {
    const u = new URL(url.split(",")[0]!);
    const socket = tcpConnect(Number(u.port || 4222), u.hostname);
    await once(socket, "connect");
    const c = new RawConnection(socket);
    socket.write(`CONNECT ${JSON.stringify({ verbose: false, pedantic: false, name, lang: "raw", version: "1", protocol: 1 })}\r\n`);
    await c.ping();
    return c;
  }

  private onData(text: string): void {
    this.buffered += text;
    for (let nl = this.buffered.indexOf("\r\n"); nl >= 0; nl = this.buffered.indexOf("\r\n")) {
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 2);
      if (line === "PING") this.socket.write("PONG\r\n");
      else if (line === "PONG") this.pongs.shift()?.();
      else if (line.startsWith("-ERR")) this.error ??= line;
    }
  }

  /** Resolves once the server has processed everything written before it. */
  async ping(): Promise<void> {
    const pong = new Promise<void>((r) => this.pongs.push(r));
    this.socket.write("PING\r\n");
    const outcome = await Promise.race([pong.then(() => "pong" as const), this.closed]);
    if (this.error) throw new Error(`nats-server: ${this.error}`);
    if (outcome === "closed") throw new Error("nats-server closed the connection");
  }

  async write(p: Protocol): Promise<void> {
    let from = 0;
    for (const to of p.cuts) {
      if (!this.socket.write(p.bytes.subarray(from, to))) await once(this.socket, "drain");
      from = to;
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

async function main(cfg: PublisherConfig): Promise<void> {
  const enc = encodeMessages(generateIngestData(cfg.shape), cfg.useRecords);
  const protocol = new Map(cfg.subjects.map((s) => [s, protocolBytes(enc, s)]));
  const raw = await RawConnection.open(cfg.url, "weir-bench-ingest-publisher");
  const nc = await connectNats(cfg.url, "weir-bench-ingest-publisher-control");
  let busy = false;
  nc.subscribe(cfg.goSubject, {
    callback: (err, m) => {
      if (err) return;
      const { subject } = JSON.parse(new TextDecoder().decode(m.data)) as { subject: string };
      const bytes = protocol.get(subject);
      if (!bytes || busy) {
        m.respond(JSON.stringify({ error: busy ? "already publishing" : `no messages laid out for ${subject}` }));
        return;
      }
      busy = true;
      void (async () => {
        const t0 = performance.now();
        await raw.write(bytes);
        await raw.ping();
        const report: PublisherReport = { messages: enc.count, bytes: enc.bytes.length, seconds: (performance.now() - t0) / 1000 };
        busy = false;
        m.respond(JSON.stringify(report));
      })().catch((e: Error) => {
        process.stderr.write(`publisher failed: ${e.message}\n`);
        process.exit(1);
      });
    },
  });
  await nc.flush();
  process.stdout.write(`${READY_PREFIX}${JSON.stringify({ messages: enc.count, bytes: enc.bytes.length })}\n`);
  process.on("SIGTERM", () => {
    raw.close();
    void nc.close().finally(() => process.exit(0));
  });
}

await main(JSON.parse(process.argv[2] ?? "{}") as PublisherConfig);
