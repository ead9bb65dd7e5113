/**
 * A source's own NATS connection against a real nats-server: it notices a
 * server that stops answering without closing the link (a paused process,
 * a dead uplink), connects again, and its subscription then gets messages
 * again.
 */
import { afterEach, describe, expect, it } from "vitest";
import { WireConnection } from "../../edge/nats/wire-connection.js";
import { copyBytes } from "../../edge/nats/wire-parser.js";
import type { Logger } from "../../edge/runtime/log.js";
import { natsConnect, until } from "../helpers/edge.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";

/** A logger that keeps the messages. */
function keptLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log: Logger & { lines: string[] } = {
    lines,
    debug: (m) => lines.push(m),
    info: (m) => lines.push(m),
    warn: (m) => lines.push(m),
    error: (m) => lines.push(m),
    child: () => log,
  };
  return log;
}

let server: NatsServer | null = null;
let wire: WireConnection | null = null;

afterEach(async () => {
  wire?.close();
  if (server) process.kill(server.pid, "SIGCONT");
  await server?.destroy();
  server = wire = null;
});

describe("a source's own NATS connection", () => {
  it("reconnects when the server stops answering without closing the link, and receives again", async () => {
    server = await startNatsServer({ jetstream: false });
    const log = keptLog();
    wire = await WireConnection.open(server.url, "test", log, { pingIntervalMs: 100 });
    expect(wire).not.toBeNull();
    const got: string[] = [];
    wire!.subscribe("t.>", (b, start, end) => got.push(new TextDecoder().decode(b.subarray(start, end))));
    await wire!.flush();
    const nc = await natsConnect(server.url);
    try {
      nc.publish("t.a", "before");
      await nc.flush();
      await until(() => got.includes("before"), "the first message");

      process.kill(server.pid, "SIGSTOP");
      await until(() => log.lines.includes("NATS server stopped answering: reconnecting"), () => `the pause noticed: ${log.lines.join("; ")}`);
      process.kill(server.pid, "SIGCONT");
      await until(() => log.lines.includes("NATS connection restored"), () => `reconnected: ${log.lines.join("; ")}`);

      await until(() => !nc.isClosed() && nc.info !== undefined, "test client connected");
      nc.publish("t.b", "after");
      await nc.flush();
      await until(() => got.includes("after"), "a message after reconnecting");
      expect(wire!.disconnects).toBeGreaterThanOrEqual(1);
    } finally {
      await nc.close();
    }
  }, 60_000);

  it("says when reconnecting fails, and comes back when the server does", async () => {
    server = await startNatsServer({ jetstream: false });
    const log = keptLog();
    wire = await WireConnection.open(server.url, "test", log);
    await server.stop();
    await until(() => wire!.failedReconnects >= 3, () => `three failed attempts: ${log.lines.join("; ")}`);
    expect(log.lines.filter((l) => l === "NATS reconnect failed: retrying")).toHaveLength(1); // the first, not one line per attempt
    server = await server.restart();
    await until(() => log.lines.includes("NATS connection restored"), () => `reconnected: ${log.lines.join("; ")}`);
    await wire!.flush();
  }, 60_000);

  it("hands on every payload intact when messages span the reads of its one reused read buffer", async () => {
    server = await startNatsServer({ jetstream: false });
    wire = await WireConnection.open(server.url, "test", keptLog());
    const got: Uint8Array[] = [];
    // a handler keeps a copy, as sources do: the bytes are valid only during the call
    wire!.subscribe("big", (b, start, end) => got.push(copyBytes(b, start, end)));
    await wire!.flush();
    // sizes around and beyond the 64 KiB read buffer, and many small ones between them
    const sizes = [0, 1, 65_536, 65_535, 65_537, 200_000, ...Array.from({ length: 300 }, (_, i) => (i * 7919) % 3000), 131_072, 5];
    const payload = (i: number, n: number) => Uint8Array.from({ length: n }, (_, j) => (i * 31 + j * 7) & 0xff);
    const nc = await natsConnect(server.url);
    try {
      sizes.forEach((n, i) => nc.publish("big", payload(i, n)));
      await nc.flush();
      await until(() => got.length === sizes.length, () => `${got.length} of ${sizes.length} messages`);
    } finally {
      await nc.close();
    }
    sizes.forEach((n, i) => expect(Buffer.compare(got[i]!, payload(i, n)), `message ${i} (${n} bytes)`).toBe(0));
  }, 60_000);

  it("is not made for a server that needs TLS: the source then reads through the nats.js client", async () => {
    expect(await WireConnection.open("tls://127.0.0.1:4222", "test", keptLog())).toBeNull();
  });
});
