/**
 * The server-to-client half of the NATS protocol, read straight from socket
 * chunks: `MSG`, `HMSG`, `PING`, `PONG`, `+OK`, `-ERR` and `INFO`
 * (https://docs.nats.io/reference/reference-protocols/nats-protocol).
 *
 * A message is handed on as positions in the chunk that holds it (payload,
 * reply subject, header block, subject): no object, string or buffer view
 * is made for it, which is what lets a data-path subscription cost less
 * per message than a general client. A frame split across chunks is kept
 * until its last byte arrives (its chunks are joined once, so a large
 * payload is not copied again per chunk, and the rest of a chunk is read
 * where it lies).
 *
 * Positions are valid only during the call: the chunk may be reused after (what
 * this reader keeps of it, the start of a split frame, it copies).
 */
import { WeirError } from "../../src/runtime.js";

export interface WireEvents {
  /**
   * A message for subscription `sid`. Its payload is `buf[start, end)`;
   * its reply subject `buf[replyStart, replyEnd)` (empty when it has none);
   * its header block (`HMSG`) `buf[headerStart, headerEnd)`, empty for `MSG`;
   * its subject `buf[subjectStart, subjectEnd)`.
   */
  msg(sid: number, buf: Uint8Array, start: number, end: number, replyStart: number, replyEnd: number, headerStart: number, headerEnd: number, subjectStart: number, subjectEnd: number): void;
  ping(): void;
  pong(): void;
  info(json: string): void;
  /** `-ERR` with its text (quotes removed). */
  err(text: string): void;
}

const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;
/** Longest control line accepted: subjects are short; an endless line is a broken stream, not a frame. */
const MAX_LINE = 64 * 1024;
const latin1 = new TextDecoder("latin1");

/** Thrown for bytes that are not the NATS protocol: the connection is then closed and opened again. */
export class WireProtocolError extends WeirError {
  override name = "WireProtocolError";
  constructor(message: string) {
    super("NATS_PROTOCOL", message);
  }
}

export class WireParser {
  /** Chunks of an unfinished frame, and how many bytes it needs in all (0: its control line is not complete yet). */
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private need = 0;
  /** Token bounds of the control line being read: start and end of up to six arguments. */
  private readonly tok = new Int32Array(12);

  constructor(private readonly on: WireEvents) {}

  /**
   * Reads every complete frame of `chunk` (after what earlier chunks left).
   * A frame split across chunks is completed from the head of the next
   * one: only its own bytes are copied, never the rest of the chunk.
   */
  feed(chunk: Uint8Array): void {
    let from = 0;
    while (this.heldBytes > 0 && from < chunk.length) {
      let take: number;
      if (this.need > 0) take = Math.min(chunk.length - from, this.need - this.heldBytes);
      else {
        let lf = from;
        while (lf < chunk.length && chunk[lf] !== LF) lf++;
        take = (lf < chunk.length ? lf + 1 : chunk.length) - from;
      }
      this.held.push(copyBytes(chunk, from, from + take));
      this.heldBytes += take;
      from += take;
      const complete = this.need > 0 ? this.heldBytes >= this.need : chunk[from - 1] === LF;
      if (!complete) {
        if (this.need === 0 && this.heldBytes > MAX_LINE) throw new WireProtocolError(`a protocol line longer than ${MAX_LINE} bytes`);
        return;
      }
      const frame = join(this.held, this.heldBytes);
      this.held = [];
      this.heldBytes = 0;
      this.need = 0;
      if (this.frame(frame, 0) < 0) {
        // a control line now complete, its payload not yet: hold it, `need` says how much more
        this.held.push(frame);
        this.heldBytes = frame.length;
      }
    }
    let p = from;
    while (p < chunk.length) {
      const next = this.frame(chunk, p);
      if (next < 0) break;
      p = next;
    }
    if (p < chunk.length) {
      if (this.need === 0 && chunk.length - p > MAX_LINE) throw new WireProtocolError(`a protocol line longer than ${MAX_LINE} bytes`);
      const rest = copyBytes(chunk, p, chunk.length);
      this.held.push(rest);
      this.heldBytes = rest.length; // `need` counts from the frame's start, which is where `rest` starts
    }
  }

  /** Reads the frame at p; returns where the next starts, or -1 when it is not all there (then `need` says how much is). */
  private frame(b: Uint8Array, p: number): number {
    const c0 = b[p]! | 0x20; // lower case
    if ((c0 === 0x6d /* m */ && p + 4 < b.length) || (c0 === 0x68 /* h */ && p + 5 < b.length)) {
      // MSG and HMSG, nearly every frame: the line is split into arguments on the way to its end
      const headers = c0 === 0x68;
      const n = this.tokens(b, p + (headers ? 5 : 4));
      const lf = this.lf;
      if (lf < 0) return -1;
      const lineEnd = b[lf - 1] === CR ? lf - 1 : lf;
      const t = this.tok;
      // MSG subject sid [reply] size | HMSG subject sid [reply] hsize size
      const args = headers ? 4 : 3;
      if (n !== args && n !== args + 1) throw new WireProtocolError(`bad ${headers ? "HMSG" : "MSG"} line: ${latin1.decode(b.subarray(p, lineEnd))}`);
      const sid = number(b, t[2]!, t[3]!);
      const hasReply = n === args + 1;
      const total = number(b, t[2 * n - 2]!, t[2 * n - 1]!);
      const hsize = headers ? number(b, t[2 * n - 4]!, t[2 * n - 3]!) : 0;
      if (sid < 0 || total < 0 || hsize < 0 || hsize > total) throw new WireProtocolError(`bad ${headers ? "HMSG" : "MSG"} line: ${latin1.decode(b.subarray(p, lineEnd))}`);
      const start = lf + 1;
      const end = start + total;
      if (end + 2 > b.length) {
        this.need = end + 2 - p;
        return -1;
      }
      const rs = hasReply ? t[4]! : 0;
      const re = hasReply ? t[5]! : 0;
      this.on.msg(sid, b, start + hsize, end, rs, re, start, start + hsize, t[0]!, t[1]!);
      return end + 2;
    }
    let lf = p;
    while (lf < b.length && b[lf] !== LF) lf++;
    if (lf === b.length) return -1;
    const lineEnd = lf > p && b[lf - 1] === CR ? lf - 1 : lf;
    const op = latin1.decode(b.subarray(p, Math.min(p + 4, lineEnd))).toUpperCase();
    if (op === "PING") this.on.ping();
    else if (op === "PONG") this.on.pong();
    else if (op === "+OK") {
      // verbose is off; a server may still send it
    } else if (op === "-ERR") this.on.err(latin1.decode(b.subarray(p + 4, lineEnd)).trim().replace(/^'|'$/g, ""));
    else if (op === "INFO") this.on.info(textAt(b, p + 4, lineEnd).trim());
    else throw new WireProtocolError(`unknown protocol line: ${latin1.decode(b.subarray(p, Math.min(lineEnd, p + 80)))}`);
    return lf + 1;
  }

  /** Where the line last split by {@link tokens} ends (its LF), or -1 when the bytes end first. */
  private lf = -1;

  /**
   * Splits the line at p, up to its CR or LF, at spaces and tabs into
   * `tok`, and finds its LF (`lf`, -1 when not in b). Returns the number of
   * tokens (7 when there are more than six).
   */
  private tokens(b: Uint8Array, p: number): number {
    const len = b.length;
    let n = 0;
    let c = 0;
    for (;;) {
      while (p < len && ((c = b[p]!) === SPACE || c === TAB)) p++;
      if (p === len || c === CR || c === LF) break;
      if (n < 6) this.tok[2 * n] = p;
      while (p < len && (c = b[p]!) !== SPACE && c !== TAB && c !== CR && c !== LF) p++;
      if (n < 6) this.tok[2 * n + 1] = p;
      n++;
    }
    if (c === CR && p + 1 < len && b[p + 1] !== LF) throw new WireProtocolError("a CR inside a protocol line");
    while (p < len && b[p] !== LF) p++;
    this.lf = p < len ? p : -1;
    return n > 6 ? 7 : n;
  }
}

/** The decimal number in b[p, end); -1 when it is not one. */
function number(b: Uint8Array, p: number, end: number): number {
  if (p === end || end - p > 15) return -1;
  let v = 0;
  for (; p < end; p++) {
    const d = b[p]! - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function join(parts: Uint8Array[], bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * The status code of a header block (`NATS/1.0 408 Request Timeout`), 0
 * when it has none: JetStream's heartbeats and pull endings.
 */
export function statusCode(b: Uint8Array, start: number, end: number): number {
  let p = start;
  while (p < end && b[p] !== SPACE && b[p] !== CR) p++; // "NATS/1.0"
  while (p < end && b[p] === SPACE) p++;
  let code = 0;
  let digits = 0;
  for (; p < end && b[p]! >= 48 && b[p]! <= 57 && digits < 3; p++, digits++) code = code * 10 + (b[p]! - 48);
  return digits === 3 ? code : 0;
}

/** The value of header `name` in a header block as a whole number, -1 when absent (names compare without case). */
export function headerNumber(b: Uint8Array, start: number, end: number, name: string): number {
  const text = latin1.decode(b.subarray(start, end));
  const want = name.toLowerCase();
  for (const line of text.split("\r\n").slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === want) {
      const v = Number(line.slice(colon + 1).trim());
      return Number.isInteger(v) && v >= 0 ? v : -1;
    }
  }
  return -1;
}

/** A copy of b[start, end) that shares no memory with `b` (a socket chunk may be reused; a view would also keep all of it alive). */
export function copyBytes(b: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(b.subarray(start, end));
  return out;
}

const utf8 = new TextDecoder();

/** The UTF-8 text at b[start, end) (a subject, a protocol line). */
export function textAt(b: Uint8Array, start: number, end: number): string {
  return utf8.decode(b.subarray(start, end));
}
