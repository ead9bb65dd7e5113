/**
 * Reads the fields a pipeline uses straight out of a msgpack map, without
 * building the record object: numbers, booleans and nil as they are, and
 * strings through an interner keyed by their bytes, so a key seen before
 * costs no string allocation. Fields the pipeline does not use are skipped.
 *
 * It reads only what it can read exactly as msgpackr would (a top-level map
 * with string keys, or an array of them; scalar values in the fields it
 * uses) and says "not mine" for anything else: msgpackr record structures,
 * nested values in a used field,
 * truncated or trailing bytes. The caller then takes the general path, so
 * both paths give the same records and the same errors.
 */

/** Top-level names only: a dotted path reads nested objects, which this reader does not build. */
export function readableFromMsgpack(fields: readonly string[]): boolean {
  return fields.every((f) => !f.includes("."));
}

import { Unpackr } from "msgpackr";

/**
 * How weir reads msgpack payloads everywhere: maps as plain objects,
 * msgpackr's record structures (`useRecords`) understood when a producer
 * uses them, and 64-bit integers as numbers (many encoders write every
 * int64 field, a millisecond timestamp among them, as 8 bytes; beyond 2^53
 * they lose precision as JSON numbers do, and a time field is then refused).
 */
export const recordUnpackr = new Unpackr({ useRecords: true, mapsAsObjects: true, int64AsType: "number" });

const latin1 = new TextDecoder("latin1");

/**
 * The string msgpackr gives for the UTF-8 bytes [start, end): the same
 * decoding, invalid bytes included. ASCII (every byte below 0x80) reads
 * the same in any of them and is decoded directly: a call into msgpackr
 * costs microseconds, once per new key.
 */
export function msgpackString(bytes: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end && ascii; i++) ascii = bytes[i]! < 0x80;
  if (ascii) return latin1.decode(bytes.subarray(start, end));
  const len = end - start;
  const framed = new Uint8Array(len + 5);
  framed[0] = 0xdb; // str32
  new DataView(framed.buffer).setUint32(1, len);
  framed.set(bytes.subarray(start, end), 5);
  return recordUnpackr.unpack(framed) as string;
}

const utf8 = new TextEncoder();

/**
 * Strings by their UTF-8 bytes: open addressing on a hash of them, bytes
 * kept in one arena. Each entry's hash, arena start and length sit side by
 * side in one Int32Array, so a lookup reads one slot and one entry.
 */
export class Utf8Interner {
  private slots = new Int32Array(1024).fill(-1);
  /** Per entry: hash, start in the arena, length. */
  private meta = new Int32Array(3 * 1024);
  readonly strings: string[] = [];
  private arena = new Uint8Array(16 * 1024);
  private arenaView = new DataView(this.arena.buffer);
  private used = 0;

  /** `limit`: strings kept at most (then new ones are not interned and the caller takes its general path). */
  constructor(readonly limit = 100_000, private readonly decode = msgpackString) {}

  get size(): number {
    return this.strings.length;
  }

  /**
   * Entry of the string in bytes[start, end), added when new; -1 when the
   * interner is full. `view`: a DataView of `bytes` (hashing and comparing
   * read four bytes at a time).
   */
  entry(bytes: Uint8Array, start: number, end: number, view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)): number {
    const len = end - start;
    let h = 0x811c9dc5 ^ len;
    let i = start;
    for (; i + 4 <= end; i += 4) {
      h = Math.imul(h ^ view.getInt32(i, true), 0x9e3779b1);
      h ^= h >>> 15;
    }
    for (; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    // (a final mix, so that every byte reaches the low bits the table uses)
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]!;
      if (e < 0) return this.add(s, h, bytes, start, end);
      if (this.meta[3 * e] === h && this.meta[3 * e + 2] === len && this.same(e, bytes, start, len, view)) return e;
    }
  }

  private same(e: number, bytes: Uint8Array, start: number, len: number, view: DataView): boolean {
    const a = this.arena;
    const av = this.arenaView;
    const at = this.meta[3 * e + 1]!;
    let i = 0;
    for (; i + 4 <= len; i += 4) if (av.getInt32(at + i, true) !== view.getInt32(start + i, true)) return false;
    for (; i < len; i++) if (a[at + i] !== bytes[start + i]) return false;
    return true;
  }

  private add(slot: number, h: number, bytes: Uint8Array, start: number, end: number): number {
    if (this.strings.length >= this.limit) return -1;
    const len = end - start;
    if (this.used + len > this.arena.length) {
      const grown = new Uint8Array(Math.max(this.arena.length * 2, this.used + len));
      grown.set(this.arena.subarray(0, this.used));
      this.arena = grown;
      this.arenaView = new DataView(grown.buffer);
    }
    this.arena.set(bytes.subarray(start, end), this.used);
    const e = this.strings.length;
    if (3 * e + 3 > this.meta.length) {
      const grown = new Int32Array(2 * this.meta.length);
      grown.set(this.meta);
      this.meta = grown;
    }
    this.meta[3 * e] = h;
    this.meta[3 * e + 1] = this.used;
    this.meta[3 * e + 2] = len;
    this.strings.push(this.decode(bytes, start, end));
    this.used += len;
    this.slots[slot] = e;
    if (this.strings.length * 2 > this.slots.length) this.rehash();
    return e;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let e = 0; e < this.strings.length; e++) {
      let s = this.meta[3 * e]! & mask;
      while (slots[s]! >= 0) s = (s + 1) & mask;
      slots[s] = e;
    }
    this.slots = slots;
  }
}

/** Bytes after the type byte t of a scalar (not a string, array or map); -1 for what this reader leaves to msgpackr. */
function scalarSize(t: number): number {
  if (t <= 0x7f || t >= 0xe0 || t === 0xc0 || t === 0xc2 || t === 0xc3) return 0;
  switch (t) {
    case 0xcc:
    case 0xd0:
      return 1;
    case 0xcd:
    case 0xd1:
      return 2;
    case 0xca:
    case 0xce:
    case 0xd2:
      return 4;
    case 0xcb:
    case 0xcf:
    case 0xd3:
      return 8;
    default:
      return -1;
  }
}

/** Names shorter than this (bytes) are looked up by length and first byte. */
const SHORT_NAME = 32;

/** What a field held in the last map read (MsgpackFieldReader.kind). */
export const ABSENT = 0;
export const NUMBER = 1;
export const STRING = 2;
export const NIL = 3;
export const FALSE = 4;
export const TRUE = 5;

export class MsgpackFieldReader {
  private readonly names: Uint8Array[];
  private readonly nameLen: Int32Array;
  private readonly nameFirst: Int32Array;
  private readonly nameLast: Int32Array;
  private readonly emptyName: number;
  /**
   * For names shorter than SHORT_NAME bytes, by (length, first byte): the
   * one field whose name starts so, -1 when none does (a field the
   * pipeline does not use, found out in one look), -2 when several do.
   */
  private readonly byLengthAndFirst = new Int16Array(SHORT_NAME * 256).fill(-1);
  /** Per field, typed so that reading allocates nothing: its kind, its number, the interner entry of its string. */
  readonly kind: Uint8Array;
  readonly num: Float64Array;
  readonly str: Int32Array;

  /**
   * @param fields top-level field names, one slot each
   * @param strings interner for string values
   */
  constructor(fields: readonly string[], readonly strings = new Utf8Interner()) {
    this.names = fields.map((f) => utf8.encode(f));
    this.nameLen = Int32Array.from(this.names, (n) => n.length);
    this.nameFirst = Int32Array.from(this.names, (n) => (n.length > 0 ? n[0]! : -1));
    this.nameLast = Int32Array.from(this.names, (n) => (n.length > 0 ? n[n.length - 1]! : -1));
    this.emptyName = this.names.findIndex((n) => n.length === 0);
    this.names.forEach((n, f) => {
      if (n.length === 0 || n.length >= SHORT_NAME) return;
      const at = n.length * 256 + n[0]!;
      this.byLengthAndFirst[at] = this.byLengthAndFirst[at] === -1 ? f : -2;
    });
    this.kind = new Uint8Array(fields.length);
    this.num = new Float64Array(fields.length);
    this.str = new Int32Array(fields.length);
  }

  /** Field f's value as msgpackr gives it (undefined when absent). */
  value(f: number): unknown {
    switch (this.kind[f]) {
      case NUMBER:
        return this.num[f];
      case STRING:
        return this.strings.strings[this.str[f]!];
      case NIL:
        return null;
      case FALSE:
        return false;
      case TRUE:
        return true;
      default:
        return undefined;
    }
  }

  /** Reads the payload `b[start, end)` when it is one map (a record); false when it is not one this reader reads exactly. */
  read(b: Uint8Array, start = 0, end = b.length): boolean {
    return this.readMap(b, start, end) === end;
  }

  /** Where the bytes being read end (reads never go past it). */
  private limit = 0;

  /**
   * The number of records in `b` when it is an array whose every element
   * this reader can walk (so msgpackr would read the whole payload too);
   * -1 otherwise. Read them with {@link readMap}, the first from `arrayStart`.
   */
  arrayLength(b: Uint8Array): number {
    const t = b.length > 0 ? b[0]! : 0;
    let n: number;
    if (t >= 0x90 && t <= 0x9f) {
      n = t & 0x0f;
      this.arrayStart = 1;
    } else if (t === 0xdc && b.length >= 3) {
      n = (b[1]! << 8) | b[2]!;
      this.arrayStart = 3;
    } else return -1;
    this.limit = b.length;
    return this.skip(b, 0, 0) === b.length ? n : -1;
  }

  /** Where the first element of the array last measured by {@link arrayLength} starts. */
  arrayStart = 0;

  /**
   * Reads the map at b[p] (bytes up to `end`) into the field slots; returns
   * where it ends, or -1 when it is not a map this reader reads exactly (or
   * is truncated).
   */
  readMap(b: Uint8Array, p: number, end = b.length): number {
    const kind = this.kind;
    for (let f = 0; f < kind.length; f++) kind[f] = ABSENT;
    this.limit = end;
    if (p >= end) return -1;
    const t0 = b[p]!;
    let n: number;
    if (t0 >= 0x80 && t0 <= 0x8f) {
      n = t0 & 0x0f;
      p += 1;
    } else if (t0 === 0xde && p + 2 < end) {
      n = (b[p + 1]! << 8) | b[p + 2]!;
      p += 3;
    } else return -1; // arrays, record structures, map32 (huge) and the rest
    for (let i = 0; i < n; i++) {
      // the key: a fixstr or str8
      if (p >= end) return -1;
      const kt = b[p]!;
      let len: number;
      if (kt >= 0xa0 && kt <= 0xbf) {
        len = kt & 0x1f;
        p += 1;
      } else if (kt === 0xd9 && p + 1 < end) {
        len = b[p + 1]!;
        p += 2;
      } else return -1;
      if (p + len > end) return -1;
      const f = this.fieldAt(b, p, len);
      p += len;
      if (p >= end) return -1;
      p = f < 0 ? this.skip(b, p, 0) : this.readValue(b, p, f);
      if (p < 0) return -1;
    }
    return p;
  }

  /** The slot of the field named by b[p, p + len), or -1. */
  private fieldAt(b: Uint8Array, p: number, len: number): number {
    if (len === 0) return this.emptyName;
    const first = b[p]!;
    if (len < SHORT_NAME) {
      const f = this.byLengthAndFirst[len * 256 + first]!;
      if (f === -1) return -1;
      if (f >= 0) {
        const name = this.names[f]!;
        for (let i = 1; i < len; i++) if (name[i] !== b[p + i]) return -1;
        return f;
      }
    }
    const last = b[p + len - 1]!;
    const names = this.names;
    for (let f = 0; f < names.length; f++) {
      // length and end bytes first: most names differ there
      if (this.nameLen[f] !== len || this.nameFirst[f] !== first || this.nameLast[f] !== last) continue;
      const name = names[f]!;
      let i = 1;
      while (i < len && name[i] === b[p + i]) i++;
      if (i >= len) return f;
    }
    return -1;
  }

  /** A DataView of the bytes being read, made once per buffer (a socket read holds many messages). */
  private view: DataView = new DataView(new ArrayBuffer(0));
  private viewBytes: Uint8Array | null = null;

  private viewOf(b: Uint8Array): DataView {
    if (b !== this.viewBytes) {
      this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      this.viewBytes = b;
    }
    return this.view;
  }

  /** Reads the value at p into slot f; returns the position after it, or -1 (not a scalar, or truncated). */
  private readValue(b: Uint8Array, p: number, f: number): number {
    const t = b[p]!;
    if (t <= 0x7f) {
      // msgpackr reads 0x40-0x7f as record references only when structures are defined: never here
      this.kind[f] = NUMBER;
      this.num[f] = t;
      return p + 1;
    }
    if (t >= 0xa0 && t <= 0xbf) return this.readString(b, p + 1, t & 0x1f, f);
    if (t === 0xd9) return p + 1 < this.limit ? this.readString(b, p + 2, b[p + 1]!, f) : -1;
    if (t === 0xda) return p + 2 < this.limit ? this.readString(b, p + 3, (b[p + 1]! << 8) | b[p + 2]!, f) : -1;
    const size = scalarSize(t);
    if (size < 0 || p + 1 + size > this.limit) return -1;
    let v = 0;
    let kind = NUMBER;
    switch (t) {
      case 0xcb:
        v = this.viewOf(b).getFloat64(p + 1);
        break;
      case 0xca:
        v = this.viewOf(b).getFloat32(p + 1);
        break;
      case 0xcc:
        v = b[p + 1]!;
        break;
      case 0xcd:
        v = (b[p + 1]! << 8) | b[p + 2]!;
        break;
      case 0xce:
        v = ((b[p + 1]! << 24) | (b[p + 2]! << 16) | (b[p + 3]! << 8) | b[p + 4]!) >>> 0;
        break;
      case 0xd0:
        v = (b[p + 1]! << 24) >> 24;
        break;
      case 0xd1:
        v = (((b[p + 1]! << 8) | b[p + 2]!) << 16) >> 16;
        break;
      case 0xd2:
        v = (b[p + 1]! << 24) | (b[p + 2]! << 16) | (b[p + 3]! << 8) | b[p + 4]!;
        break;
      case 0xcf:
      case 0xd3: {
        // as msgpackr's int64AsType "number": high word * 2^32 + low word
        const hi = (b[p + 1]! << 24) | (b[p + 2]! << 16) | (b[p + 3]! << 8) | b[p + 4]!;
        const lo = ((b[p + 5]! << 24) | (b[p + 6]! << 16) | (b[p + 7]! << 8) | b[p + 8]!) >>> 0;
        v = (t === 0xcf ? hi >>> 0 : hi) * 0x100000000 + lo;
        break;
      }
      case 0xc0:
        kind = NIL;
        break;
      case 0xc2:
        kind = FALSE;
        break;
      case 0xc3:
        kind = TRUE;
        break;
      default:
        v = t - 0x100; // negative fixint: scalarSize admits no other type here
    }
    this.kind[f] = kind;
    this.num[f] = v;
    return p + 1 + size;
  }

  private readString(b: Uint8Array, start: number, len: number, f: number): number {
    const end = start + len;
    if (end > this.limit) return -1;
    const e = this.strings.entry(b, start, end, this.viewOf(b));
    if (e < 0) return -1;
    this.kind[f] = STRING;
    this.str[f] = e;
    return end;
  }

  /** Skips the value at p of a field not used; the position after it, or -1 (what msgpackr may read differently, or truncated). */
  private skip(b: Uint8Array, p: number, depth: number): number {
    if (p >= this.limit || depth > 32) return -1;
    const t = b[p]!;
    let size = scalarSize(t); // bytes after the type byte
    let items = 0; // nested values to skip
    if (size < 0) {
      const len8 = p + 1 < this.limit ? b[p + 1]! : -1;
      const len16 = p + 2 < this.limit ? (b[p + 1]! << 8) | b[p + 2]! : -1;
      if (t >= 0xa0 && t <= 0xbf) size = t & 0x1f;
      else if (t >= 0x90 && t <= 0x9f) {
        size = 0;
        items = t & 0x0f;
      } else if (t >= 0x80 && t <= 0x8f) {
        size = 0;
        items = 2 * (t & 0x0f);
      } else if ((t === 0xd9 || t === 0xc4) && len8 >= 0) size = 1 + len8;
      else if ((t === 0xda || t === 0xc5) && len16 >= 0) size = 2 + len16;
      else if ((t === 0xdc || t === 0xde) && len16 >= 0) {
        size = 2;
        items = t === 0xdc ? len16 : 2 * len16;
      } else return -1; // ext (record structures, timestamps), 32-bit lengths
    }
    p += 1 + size;
    if (p > this.limit) return -1;
    for (let i = 0; i < items && p >= 0; i++) p = this.skip(b, p, depth + 1);
    return p;
  }
}
