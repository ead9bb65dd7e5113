/**
 * Reading msgpack payloads straight into column batches must give exactly
 * what decoding them with msgpackr and appending the object gives: the same
 * rows, the same key ids, the same dead-letter reasons. Payloads are random
 * records (the plan's fields with values of every msgpack type, extra
 * fields, nested values, 64-bit integers, record structures, arrays of
 * records) and random corruptions of them.
 */
import fc from "fast-check";
import { Packr } from "msgpackr";
import { describe, expect, it } from "vitest";
import { pipeline, recordUnpackr, WindowOperator, type ColumnBatch } from "../../src/index.js";
import { Utf8Interner } from "../../src/codec/msgpack-fields.js";

const FIELDS = ["id", "ts", "v", "w", "site", "tag"];

const scalar = fc.oneof(
  fc.integer({ min: -200, max: 200 }),
  fc.integer(),
  fc.constantFrom(0, -0, 2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1, 1.5, -2.25, NaN, Infinity, -Infinity),
  fc.double(),
  fc.integer({ min: 1_600_000_000_000, max: 1_800_000_000_000 }),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.constantFrom("sensor-1", "sensor-2", "é-ü", "", "2025-01-01T00:00:01Z", "x".repeat(300)),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof({ weight: 8, arbitrary: scalar }, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), scalar, { maxKeys: 3 }));
const anyRecord = fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 6 })), value, { maxKeys: 8 });
/** Mostly usable records (a key, a time, numbers), with random extra fields and now and then a bad value. */
const usableRecord = fc
  .record({
    id: fc.oneof(fc.constantFrom("s1", "s2", "sensor-3", "é"), fc.integer({ min: -3, max: 300 })),
    ts: fc.oneof(fc.integer({ min: -1000, max: 2 ** 40 }), fc.bigInt({ min: 0n, max: 2n ** 40n }), fc.constant("2025-01-01T00:00:00Z")),
    v: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }), fc.constant(null)),
    w: fc.oneof(fc.integer({ min: -300, max: 300 }), fc.float({ noNaN: true, noDefaultInfinity: true })),
    site: fc.constantFrom("a", "b"),
    tag: fc.oneof(fc.string({ maxLength: 3 }), fc.boolean()),
    extra: value,
  }, { requiredKeys: ["id", "ts"] })
  .chain((r) => fc.tuple(fc.constant(r), anyRecord))
  .map(([r, extra]) => ({ ...extra, ...r }));
const record = fc.oneof({ weight: 3, arbitrary: usableRecord }, { weight: 1, arbitrary: anyRecord });

/** A payload: a record packed as plain maps or with record structures, an array of records, or bytes cut or changed. */
const payload = fc
  .tuple(
    fc.oneof({ weight: 6, arbitrary: record.map((r) => [r]) }, fc.array(record, { minLength: 0, maxLength: 3 })),
    fc.boolean(),
    fc.boolean(),
    fc.constantFrom("none", "none", "none", "truncate", "flip", "append"),
    fc.nat(),
    fc.nat({ max: 255 }),
  )
  .map(([records, single, useRecords, change, at, byte]) => {
    const packr = new Packr({ useRecords, variableMapSize: !useRecords });
    let bytes = new Uint8Array(packr.pack(single && records.length === 1 ? records[0] : records));
    if (change === "truncate") bytes = bytes.subarray(0, at % bytes.length);
    else if (change === "flip" && bytes.length > 0) {
      bytes = bytes.slice();
      bytes[at % bytes.length] = byte;
    } else if (change === "append") bytes = Uint8Array.from([...bytes, byte]);
    return bytes;
  });

const plans = [
  pipeline("p1").eventTime("ts", { maxOutOfOrderness: 1000 }).key("id").tumbling(10_000).aggregate({ n: "count()", s: "sum(v)", m: "max(w)", c: "count(tag)" }).build(),
  pipeline("p2").eventTime("ts").key("id", "site").tumbling(10_000).aggregate({ a: "avg(v)", d: "count_distinct(tag)", h: "approx_count_distinct(site)" }).build(),
  pipeline("p3").key("site").countWindow(5).aggregate({ n: "count()", lo: "min(v)" }).build(),
];

/** The batch and outcomes after decoding each payload with or without the direct path. */
function decodeAll(plan: (typeof plans)[number], payloads: Uint8Array[], direct: boolean) {
  const op = new WindowOperator(plan, { row() {}, late() {} }, { kernel: "ts" });
  const batch = op.newBatch(4);
  const outcomes: (string | null)[] = [];
  for (const bytes of payloads) {
    let from = 0;
    if (direct) {
      const before = batch.length;
      const rest = op.decodeMsgpack(batch, bytes, undefined, true);
      for (let i = before; i < batch.length; i++) outcomes.push("direct");
      if (rest === null) continue;
      from = rest;
    }
    let rec: unknown;
    try {
      rec = recordUnpackr.unpack(bytes);
    } catch {
      outcomes.push("unreadable");
      continue;
    }
    const recs = Array.isArray(rec) ? rec : [rec];
    for (let i = from; i < recs.length; i++) outcomes.push(op.decode(batch, recs[i], recs[i]));
  }
  return { op, batch, outcomes };
}

function columns(b: ColumnBatch) {
  const n = b.length;
  return {
    keyId: [...b.keyId.subarray(0, n)],
    ts: [...b.ts.subarray(0, n)],
    input: [...b.input.subarray(0, n)],
    num: b.num.map((c) => [...c.subarray(0, n)].map((x) => (Number.isNaN(x) ? "NaN" : Object.is(x, -0) ? "-0" : x))),
    dict: b.dict.map((c) => [...c.subarray(0, n)]),
    hash: b.hash.map((c) => [...c.subarray(0, 2 * n)]),
  };
}

describe("msgpack payloads read straight into columns", () => {
  it("give the same rows, key ids and problems as decoding to objects", () => {
    let directRecords = 0;
    fc.assert(
      fc.property(fc.constantFrom(0, 1, 2), fc.array(payload, { minLength: 1, maxLength: 30 }), (p, payloads) => {
        const plan = plans[p]!;
        const viaObjects = decodeAll(plan, payloads, false);
        const direct = decodeAll(plan, payloads, true);
        directRecords += direct.outcomes.filter((x) => x === "direct").length;
        expect(columns(direct.batch)).toEqual(columns(viaObjects.batch));
        // Problems are the same: the direct path takes valid records only and leaves the rest to the object path.
        const problems = (o: (string | null)[]) => o.filter((x) => x !== null && x !== "direct");
        expect(problems(direct.outcomes)).toEqual(problems(viaObjects.outcomes));
        expect(direct.op.counters.deadLettered).toBe(viaObjects.op.counters.deadLettered);
        expect(direct.op.keys.size).toBe(viaObjects.op.keys.size);
        for (let id = 0; id < direct.op.keys.size; id++) expect(direct.op.keys.values(id)).toEqual(viaObjects.op.keys.values(id));
      }),
      { seed: 51, numRuns: 400 },
    );
    // the comparison is not vacuous: many records took the direct path
    expect(directRecords).toBeGreaterThan(200);
  });

  it("takes the common record, and arrays of them, without building objects", () => {
    const plan = plans[0]!;
    const op = new WindowOperator(plan, { row() {}, late() {} }, { kernel: "ts" });
    const batch = op.newBatch();
    const packr = new Packr({ useRecords: false });
    const bytes = new Uint8Array(packr.pack({ id: "sensor-7", ts: 1_735_689_600_123, v: 21.5, w: -3, tag: "a", other: { deep: [1, 2] } }));
    expect(op.decodeMsgpack(batch, bytes, undefined, false)).toBeNull();
    expect(op.decodeMsgpack(batch, bytes, undefined, false)).toBeNull();
    expect(batch.length).toBe(2);
    expect(op.keys.values(batch.keyId[0]!)).toEqual(["sensor-7"]);
    expect(batch.keyId[1]).toBe(batch.keyId[0]);
    expect(batch.ts[0]).toBe(1_735_689_600_123);
    expect([batch.num[0]![0], batch.num[1]![0], batch.num[2]![0]]).toEqual([21.5, -3, 1]);
    expect(batch.rawOf(0)).toEqual(bytes); // a copy: the batch keeps no reference to the message
    // a missing key is left to the general path, which reports the problem
    expect(op.decodeMsgpack(batch, new Uint8Array(packr.pack({ ts: 1 })), undefined, true)).toBe(0);
    expect(batch.length).toBe(2);
    // an array: taken when asked for, up to the first record with a problem
    const array = new Uint8Array(packr.pack([{ id: "a", ts: 1 }, { id: "b", ts: 2 }, { ts: 3 }, { id: "c", ts: 4 }]));
    expect(op.decodeMsgpack(batch, array, undefined, false)).toBe(0);
    expect(batch.length).toBe(2);
    expect(op.decodeMsgpack(batch, array, undefined, true)).toBe(2);
    expect(batch.length).toBe(4);
    expect(batch.rawOf(3)).toEqual(new Uint8Array(packr.pack({ id: "b", ts: 2 })));
    expect(op.counters.deadLettered).toBe(0);
  });
});

describe("the string interner of the msgpack reader", () => {
  it("gives equal bytes one entry and different bytes different ones, through arena growth and rehashing", () => {
    // short strings that differ in one byte anywhere (first word, last word, tail), and longer ones
    const text = fc.oneof(
      fc.tuple(fc.constantFrom("dev-", "dev-0", "site-10", "x"), fc.nat({ max: 20_000 })).map(([p, n]) => `${p}${n}`),
      fc.string({ maxLength: 40 }),
      fc.string({ unit: "grapheme", maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 3000, size: "max" }), fc.nat({ max: 7 }), (texts, pad) => {
        const interner = new Utf8Interner();
        const seen = new Map<string, number>();
        const entries = new Set<number>();
        for (const t of texts) {
          // the string at an odd place of a larger buffer, as inside a socket read
          const bytes = new TextEncoder().encode(t);
          const buf = new Uint8Array(pad + bytes.length + 3);
          buf.set(bytes, pad);
          const e = interner.entry(buf, pad, pad + bytes.length);
          const before = seen.get(t);
          if (before === undefined) {
            expect(entries.has(e)).toBe(false);
            seen.set(t, e);
            entries.add(e);
          } else expect(e).toBe(before);
          expect(interner.strings[e]).toBe(recordUnpackr.unpack(new Packr().pack(t)));
        }
        expect(interner.size).toBe(seen.size);
      }),
      { seed: 52, numRuns: 40 },
    );
  });
});
