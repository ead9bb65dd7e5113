/**
 * The core NATS sink on its own connection against a real nats-server:
 * what it publishes reads back as what the nats.js client publishes (text
 * rows, binary payloads, headers), a drain's messages leave in order, and
 * what it is given while the server is away reaches the server once it is
 * back. The messages are caught by a JetStream stream on the subjects, so
 * none is missed while a subscriber reconnects. The JetStream sink re-sends
 * a publish that failed by itself.
 */
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { pack, unpack } from "msgpackr";
import { afterEach, describe, expect, it } from "vitest";
import { WireConnection } from "../../edge/nats/wire-connection.js";
import type { Logger } from "../../edge/runtime/log.js";
import { JetStreamSink, NatsSink, WireNatsSink } from "../../edge/sinks/nats-sinks.js";
import { natsConnect, readStream, streamCount, until } from "../helpers/edge.js";
import { startNatsServer, type NatsServer } from "../helpers/nats-server.js";

const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, child: () => quiet };

let server: NatsServer | null = null;
let nc: NatsConnection | null = null;
let wire: WireConnection | null = null;

afterEach(async () => {
  wire?.close();
  await nc?.close();
  await server?.destroy();
  wire = nc = server = null;
});

/** A server with a stream OUT that keeps every message published to out.>. */
async function serverWithStream(): Promise<void> {
  server = await startNatsServer();
  nc = await natsConnect(server.url);
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "OUT", subjects: ["out.>"] });
  wire = await WireConnection.open(server.url, "test-sink", quiet);
  expect(wire).not.toBeNull();
}

/** Raw payloads and headers of the stream's messages, in order. */
async function rawMessages(): Promise<{ subject: string; data: Uint8Array; headers: Record<string, string> }[]> {
  const { jetstream } = await import("@nats-io/jetstream");
  const c = await jetstream(nc!).consumers.get("OUT");
  const n = await streamCount(nc!, "OUT");
  const out: { subject: string; data: Uint8Array; headers: Record<string, string> }[] = [];
  for await (const m of await c.fetch({ max_messages: n, expires: 10_000 })) {
    const headers: Record<string, string> = {};
    if (m.headers) for (const [k, v] of m.headers) headers[k] = v.join(",");
    out.push({ subject: m.subject, data: m.data, headers });
    if (out.length === n) break;
  }
  return out;
}

describe("the core NATS sink on its own connection", () => {
  it("publishes what the nats.js client publishes: JSON rows, msgpack rows, raw bytes with headers", async () => {
    await serverWithStream();
    const row = { deviceId: "d-ü1", window_start: 0, window_end: 10_000, n: 3, avg_temp: 21.25, max_temp: null };
    const bytes = new Uint8Array([0, 1, 2, 0xff, 13, 10]);
    const headers = { "Weir-Reason": "bad\r\nrecord", "Weir-Pipeline": "p" };
    const messages = [
      { value: row, id: "" },
      { value: { ...row, n: 4 }, id: "", subject: "out.other" },
      { value: null, data: bytes, id: "", headers },
    ];
    const own = { json: new WireNatsSink(wire!, "out.own.json", "json"), msgpack: new WireNatsSink(wire!, "out.own.msgpack", "msgpack") };
    const shared = { json: new NatsSink(nc!, "out.shared.json", "json"), msgpack: new NatsSink(nc!, "out.shared.msgpack", "msgpack") };
    for (const sinks of [own, shared]) {
      for (const m of messages) sinks.json.write(m);
      sinks.msgpack.write({ value: row, id: "" });
      await sinks.json.flush();
      await sinks.msgpack.flush();
    }
    const got = await rawMessages();
    expect(got).toHaveLength(8);
    const [ownMsgs, sharedMsgs] = [got.slice(0, 4), got.slice(4)];
    // the same bytes and headers either way; only the sink's own subject differs
    expect(ownMsgs.map((m) => ({ ...m, subject: m.subject.replace(".own.", ".") }))).toEqual(sharedMsgs.map((m) => ({ ...m, subject: m.subject.replace(".shared.", ".") })));
    expect(JSON.parse(new TextDecoder().decode(ownMsgs[0]!.data))).toEqual(row);
    expect(ownMsgs[1]!.subject).toBe("out.other");
    expect([...ownMsgs[2]!.data]).toEqual([...bytes]);
    expect(ownMsgs[2]!.headers).toEqual({ "Weir-Reason": "bad record", "Weir-Pipeline": "p" });
    expect(unpack(ownMsgs[3]!.data)).toEqual(row);
  });

  it("sends a drain's messages in order, and holds those written while the server is away until it is back", async () => {
    await serverWithStream();
    const sink = new WireNatsSink(wire!, "out.rows", "json");
    const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ seq: from + i, pad: "x".repeat((from + i) % 50) }));
    for (const r of rows(0, 5000)) sink.write({ value: r, id: "" });
    sink.write({ value: null, data: pack({ seq: -1 }), id: "" });
    await sink.flush();
    expect(await streamCount(nc!, "OUT")).toBe(5001);

    await server!.stop();
    await until(() => !wire!.connected, "the sink's connection notices the server is gone");
    for (const r of rows(5000, 300)) sink.write({ value: r, id: "" });
    let delivered = false;
    const flushed = sink.flush().then(() => (delivered = true));
    server = await server!.restart();
    await flushed;
    expect(delivered).toBe(true);
    await until(async () => (await streamCount(nc!, "OUT")) >= 5301, "the test client reads the stream again");
    const bodies = (await readStream(nc!, "OUT")).map((m) => m.body as { seq: number });
    expect(bodies.filter((b) => typeof b === "object").map((b) => b.seq)).toEqual([...rows(0, 5000).map((r) => r.seq), ...rows(5000, 300).map((r) => r.seq)]);
    expect(wire!.dropped).toBe(0);
  }, 60_000);

  it("refuses a message larger than the server's max_payload, and a subject it cannot publish to", async () => {
    server = await startNatsServer({ jetstream: false });
    wire = await WireConnection.open(server.url, "test-sink", quiet);
    const sink = new WireNatsSink(wire!, "out.big", "json");
    expect(() => sink.write({ value: { blob: "x".repeat(wire!.maxPayload) }, id: "" })).toThrow(/max_payload/);
    for (const bad of ["", "out big", "out.*", "out.>", "out..x"]) expect(() => new WireNatsSink(wire!, bad, "json")).toThrow(/cannot publish to/);
    // the connection is still usable
    await sink.flush();
  });
});

describe("the JetStream sink", () => {
  it("re-sends a publish that failed soon after, without waiting for a flush", async () => {
    server = await startNatsServer();
    nc = await natsConnect(server.url);
    const sink = await JetStreamSink.open(nc, { stream: "ROWS", subject: "rows.x", codec: "json", create: true }, quiet);
    await sink.write({ value: { n: 1 }, id: "r1" });
    await sink.flush();
    // the stream goes away (a server still recovering its streams answers the same way: no responders)
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete("ROWS");
    await sink.write({ value: { n: 2 }, id: "r2" });
    await sink.write({ value: { n: 3 }, id: "r3" });
    await jsm.streams.add({ name: "ROWS", subjects: ["rows.x"] });
    // no flush, no more writes: the failed publishes are re-sent by themselves
    await until(async () => (await streamCount(nc!, "ROWS")) === 2, "the re-sent rows", 15_000);
    expect((await readStream(nc, "ROWS")).map((m) => m.body)).toEqual([{ n: 2 }, { n: 3 }]);
    await sink.close();
  });
});
