/**
 * Message payloads ↔ records. A message carries one record (an object) or
 * several (an array of objects), encoded as JSON or msgpack. msgpack
 * messages may use msgpackr's record structures (`useRecords`): they decode
 * to the same objects, ~2× faster than plain maps, and are smaller.
 */
import { Packr } from "msgpackr";
import { recordUnpackr } from "../../src/runtime.js";

export type Codec = "json" | "msgpack";

/** Largest payload accepted; larger messages are dead-lettered unread. */
export const MAX_PAYLOAD = 8 * 1024 * 1024;

/** Rows go out as plain msgpack maps, readable by any msgpack library. */
const packr = new Packr({ useRecords: false });
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Why a message cannot be read (an instance, so it cannot be mistaken for a record). */
export class PayloadError {
  constructor(readonly reason: string) {}
}

/**
 * The content of one message: a record (an object), an array of records,
 * or a PayloadError. No wrapper per message: this runs once per message.
 */
export function decodePayload(data: Uint8Array, codec: Codec): object | unknown[] | PayloadError {
  if (data.length === 0) return new PayloadError("empty message");
  if (data.length > MAX_PAYLOAD) return new PayloadError(`message of ${data.length} bytes is larger than ${MAX_PAYLOAD}`);
  let value: unknown;
  try {
    value = codec === "json" ? JSON.parse(utf8.decode(data)) : recordUnpackr.unpack(data);
  } catch (e) {
    return new PayloadError(`invalid ${codec === "json" ? "JSON" : "msgpack"}: ${(e as Error).message}`);
  }
  if (typeof value === "object" && value !== null) return value;
  return new PayloadError(`a message must hold a record (an object) or an array of records, got ${value === null ? "null" : typeof value}`);
}

export function encodePayload(value: unknown, codec: Codec): Uint8Array {
  // Buffer.from encodes short strings faster than TextEncoder (a result row: ~350 ns against ~600 here)
  return codec === "json" ? Buffer.from(JSON.stringify(value), "utf8") : packr.pack(value);
}
