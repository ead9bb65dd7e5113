/**
 * The NATS protocol reader of the sources' own connections: any sequence
 * of server frames, cut into chunks anywhere, gives the same events in the
 * same order as the frames were written, with payloads, reply subjects and
 * header blocks byte-exact, though each chunk's buffer is reused.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { headerNumber, statusCode, WireParser, WireProtocolError } from "../../edge/nats/wire-parser.js";
import { splitArb, splitAt } from "../helpers/arbitraries.js";

type Frame =
  | { op: "msg"; sid: number; subject: string; reply: string; headers: string; payload: Uint8Array }
  | { op: "ping" | "pong" | "ok" }
  | { op: "err"; text: string }
  | { op: "info"; json: string };

const token = fc.stringMatching(/^[A-Za-z0-9_$-]{1,12}$/);
const subject = fc.array(token, { minLength: 1, maxLength: 5 }).map((t) => t.join("."));
const headerBlock = fc.oneof(
  fc.constant(""),
  fc.record({ code: fc.constantFrom("", " 100 Idle Heartbeat", " 408 Request Timeout", " 409 Consumer Deleted"), pending: fc.option(fc.nat(100_000), { nil: undefined }) }).map(
    ({ code, pending }) => `NATS/1.0${code}\r\n${pending === undefined ? "" : `Nats-Pending-Messages: ${pending}\r\n`}\r\n`,
  ),
);
const frame: fc.Arbitrary<Frame> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant("msg" as const), sid: fc.integer({ min: 1, max: 99_999 }), subject, reply: fc.oneof(fc.constant(""), subject), headers: headerBlock, payload: fc.uint8Array({ maxLength: 300 }) }) },
  fc.record({ op: fc.constantFrom("ping" as const, "pong" as const, "ok" as const) }),
  fc.record({ op: fc.constant("err" as const), text: fc.stringMatching(/^[A-Za-z ]{1,30}$/) }),
  fc.record({ op: fc.constant("info" as const), json: fc.dictionary(token, fc.oneof(fc.nat(), token)).map((o) => JSON.stringify(o)) }),
);

const enc = new TextEncoder();
const dec = new TextDecoder();

function wire(f: Frame): Uint8Array {
  switch (f.op) {
    case "msg": {
      const h = enc.encode(f.headers);
      const head = f.headers ? `HMSG ${f.subject} ${f.sid} ${f.reply ? f.reply + " " : ""}${h.length} ${h.length + f.payload.length}` : `MSG ${f.subject} ${f.sid} ${f.reply ? f.reply + " " : ""}${f.payload.length}`;
      return Buffer.concat([enc.encode(head + "\r\n"), h, f.payload, enc.encode("\r\n")]);
    }
    case "ping":
      return enc.encode("PING\r\n");
    case "pong":
      return enc.encode("PONG\r\n");
    case "ok":
      return enc.encode("+OK\r\n");
    case "err":
      return enc.encode(`-ERR '${f.text}'\r\n`);
    case "info":
      return enc.encode(`INFO ${f.json}\r\n`);
  }
}

/** What the parser reports, as plain values (ok frames report nothing). */
function read(chunks: Uint8Array[]): unknown[] {
  const seen: unknown[] = [];
  const p = new WireParser({
    msg: (sid, b, start, end, rs, re, hs, he, ss, se) =>
      seen.push({ op: "msg", sid, subject: dec.decode(b.subarray(ss, se)), reply: dec.decode(b.subarray(rs, re)), headers: dec.decode(b.subarray(hs, he)), payload: Uint8Array.from(b.subarray(start, end)) }),
    ping: () => seen.push({ op: "ping" }),
    pong: () => seen.push({ op: "pong" }),
    info: (json) => seen.push({ op: "info", json }),
    err: (text) => seen.push({ op: "err", text }),
  });
  // as the socket reads: every chunk in the same buffer, overwritten after each feed
  const buffer = new Uint8Array(Math.max(1, ...chunks.map((c) => c.length)));
  for (const c of chunks) {
    buffer.set(c);
    p.feed(buffer.subarray(0, c.length));
    buffer.fill(0x4d); // "M": a reader that kept a view of the chunk would now see other bytes
  }
  return seen;
}

/** `bytes` cut at the given fractions of its length. */
const cut = (bytes: Uint8Array, at: number[]) => splitAt([...bytes], at).map((part) => Uint8Array.from(part));

describe("the NATS wire reader", () => {
  it("reads any frames cut into chunks anywhere as the frames written, in order", () => {
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 40 }), splitArb(30), (frames, at) => {
        const bytes = Buffer.concat(frames.map(wire));
        const want = frames.filter((f) => f.op !== "ok").map((f) => (f.op === "msg" ? { ...f, payload: Uint8Array.from(f.payload) } : f));
        expect(read(cut(bytes, at))).toEqual(want);
        // one byte at a time: every frame crosses chunks
        expect(read(cut(bytes, Array.from({ length: bytes.length }, (_, i) => i / (bytes.length + 1))))).toEqual(want);
      }),
      { seed: 2026, numRuns: 300 },
    );
  });

  it("reads a JetStream status and its pending count from a header block", () => {
    const h = enc.encode("NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 17\r\nNats-Pending-Bytes: 0\r\n\r\n");
    expect(statusCode(h, 0, h.length)).toBe(408);
    expect(headerNumber(h, 0, h.length, "nats-pending-messages")).toBe(17);
    const plain = enc.encode("NATS/1.0\r\nA: b\r\n\r\n");
    expect(statusCode(plain, 0, plain.length)).toBe(0);
    expect(headerNumber(plain, 0, plain.length, "Nats-Pending-Messages")).toBe(-1);
  });

  it("refuses bytes that are not the protocol", () => {
    expect(() => read([enc.encode("HELLO world\r\n")])).toThrow(WireProtocolError);
    expect(() => read([enc.encode("MSG a.b 1 x\r\n")])).toThrow(WireProtocolError);
    expect(() => read([enc.encode("MSG a.b 1 c d 5\r\n")])).toThrow(WireProtocolError);
    expect(() => read([enc.encode("MSG a.b 1 5\rx\r\nhello\r\n")])).toThrow(WireProtocolError);
    expect(() => read([enc.encode("MSG a.b 1 5 6 7 8 9\r\nhello\r\n")])).toThrow(WireProtocolError);
  });
});
