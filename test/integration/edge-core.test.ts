import { jetstream } from "@nats-io/jetstream";
import { Packr } from "msgpackr";
import { describe, expect, it } from "vitest";
import { readStream, replayRows, startEdge, streamCount, until, useNatsServer } from "../helpers/edge.js";

const BASE = `time: { field: ts, maxOutOfOrderness: 1s }
key: deviceId
window: { tumbling: 5s }
aggregate:
  n: count()
  avg_temp: avg(temp)
`;

function readings(n: number) {
  return Array.from({ length: n }, (_, i) => ({ deviceId: `d${i % 5}`, ts: 1_000_000 + i * 20 - (i % 7 === 3 ? 900 : 0), temp: 20 + (i % 13) / 4 }));
}

const nats = useNatsServer();
const s = nats.files;


describe("weir edge with a core NATS source and sink", () => {
  it("emits the rows the replay CLI emits on the same records, read through the shared client", async () => {
    const spec = s.write("core.yaml", `name: core-test\n${BASE}source:\n  nats: { subject: "raw.>", codec: json, connection: shared }\nsink:\n  nats: { subject: out.core }\n`);
    const records = readings(3000);
    const expected = replayRows(s, spec, records);
    expect(expected.length).toBeGreaterThan(20);
    const got: unknown[] = [];
    const sub = nats.nc.subscribe("out.core", { callback: (_e, m) => got.push(m.json()) });
    await nats.nc.flush();
    const edge = startEdge([spec, "--nats", nats.server.url, "--name", "core1"]);
    await edge.waitForLog("pipeline running");
    for (let i = 0; i < records.length; i += 100) nats.nc.publish(`raw.site${i % 3}`, JSON.stringify(records.slice(i, i + 100)));
    await nats.nc.flush();
    await until(() => got.length >= expected.length, "all rows on out.core");
    edge.child.kill("SIGINT");
    expect(await edge.exited).toBe(0);
    sub.unsubscribe();
    expect(got).toEqual(expected);
  }, 60_000);
});

describe("weir edge reading one msgpack record per core NATS message", () => {
  it("emits the replay CLI's rows, writes late records as they came and dead-letters bad ones", async () => {
    const spec = s.write(
      "core-mp.yaml",
      `name: core-mp\n${BASE}source:\n  nats: { subject: "mp.>", codec: msgpack }\nsink:\n  nats: { subject: out.mp }\n` +
        `late:\n  nats: { subject: late.mp }\ndeadLetter:\n  nats: { subject: dead.mp }\n`,
    );
    // in order but for a few records far behind the watermark (late), plus extra fields weir skips
    const records = readings(2000).map((r, i) => (i % 400 === 399 ? { ...r, ts: r.ts - 20_000, note: "late" } : { ...r, site: { id: i % 3 } }));
    const expected = replayRows(s, spec, records);
    const lateExpected = records.filter((r) => "note" in r);
    expect(expected.length).toBeGreaterThan(5);
    const got: unknown[] = [];
    const late: unknown[] = [];
    const dead: string[] = [];
    const subs = [
      nats.nc.subscribe("out.mp", { callback: (_e, m) => got.push(m.json()) }),
      nats.nc.subscribe("late.mp", { callback: (_e, m) => late.push(m.json()) }),
      nats.nc.subscribe("dead.mp", { callback: (_e, m) => dead.push(m.headers?.get("Weir-Reason") ?? "") }),
    ];
    await nats.nc.flush();
    const edge = startEdge([spec, "--nats", nats.server.url, "--name", "coremp"]);
    await edge.waitForLog("pipeline running");
    const packr = new Packr({ useRecords: false });
    // the time as an 8-byte int64 (msgpackr writes a BigInt so), as many encoders write every int64 field
    const int64 = (r: (typeof records)[number]) => packr.pack({ ...r, ts: BigInt(r.ts) });
    records.forEach((r, i) => {
      nats.nc.publish(`mp.s${i % 3}`, i % 10 === 5 && !("note" in r) ? int64(r) : packr.pack(r));
      if (i === 1000) nats.nc.publish("mp.s0", packr.pack({ ts: r.ts, temp: 1 })); // no key
    });
    await nats.nc.flush();
    await until(() => got.length >= expected.length && late.length >= lateExpected.length && dead.length >= 1, "rows, late records and the dead letter");
    edge.child.kill("SIGINT");
    expect(await edge.exited).toBe(0);
    subs.forEach((sub) => sub.unsubscribe());
    expect(got).toEqual(expected);
    expect(late).toEqual(lateExpected);
    expect(dead).toEqual(["missing key field 'deviceId'"]);
  }, 60_000);
});

describe("weir edge with bad messages", () => {
  it("dead-letters garbage, wrong types, missing fields and a 1 MB message with reasons, and keeps running", async () => {
    const spec = s.write(
      "bad.yaml",
      `name: bad-test\n${BASE}source:\n  jetstream: { stream: BAD_IN, subjects: ["bad.in"], create: true, codec: json }\n` +
        `sink:\n  jetstream: { stream: BAD_OUT, subject: bad.out, create: true }\n` +
        `deadLetter:\n  jetstream: { stream: BAD_DEAD, subject: bad.dead, create: true }\n`,
    );
    const edge = startEdge([spec, "--nats", nats.server.url, "--name", "bad1"]);
    await edge.waitForLog("pipeline running");
    const js = jetstream(nats.nc);
    const enc = (v: unknown) => new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v));
    const good = readings(200);
    await js.publish("bad.in", enc(good.slice(0, 100)));
    await js.publish("bad.in", new Uint8Array([0xff, 0x00, 0x13, 0x37])); // garbage bytes
    await js.publish("bad.in", enc("{not json"));
    await js.publish("bad.in", enc({ deviceId: "d1", ts: 1_001_000, temp: "hot" })); // wrong type
    await js.publish("bad.in", enc({ deviceId: "d1", temp: 20 })); // missing time field
    await js.publish("bad.in", enc([{ ts: 1_001_000, temp: 20 }, good[100]])); // one bad record (no key), one good
    await js.publish("bad.in", enc(JSON.stringify({ junk: "x".repeat(1 << 20) }).slice(0, -2))); // 1 MB, truncated JSON
    await js.publish("bad.in", enc(good.slice(101)));
    await until(async () => (await streamCount(nats.nc, "BAD_DEAD")) >= 6, "6 dead letters", 30_000);
    // still running: a later window closes when more records come
    await js.publish("bad.in", enc([{ deviceId: "d0", ts: 1_100_000, temp: 1 }]));
    await until(async () => (await streamCount(nats.nc, "BAD_OUT")) > 0, "rows after the bad messages");
    edge.child.kill("SIGTERM");
    expect(await edge.exited).toBe(0);

    const dead = await readStream(nats.nc, "BAD_DEAD");
    expect(dead.length).toBe(6);
    const reasons = dead.map((m) => m.headers["Weir-Reason"]);
    expect(reasons[0]).toMatch(/^invalid JSON/);
    expect(reasons[1]).toMatch(/^invalid JSON/);
    expect(reasons[2]).toBe("field 'temp' must be a finite number, got string \"hot\"");
    expect(reasons[3]).toMatch(/missing .*ts/);
    expect(reasons[4]).toMatch(/deviceId/);
    expect(reasons[5]).toMatch(/^invalid JSON/);
    expect(dead.every((m) => m.headers["Weir-Source"] !== undefined && m.headers["Weir-Pipeline"] === "bad-test")).toBe(true);
    const stopped = edge.logs().split("\n").find((l) => l.includes('"msg":"pipeline stopped"'))!;
    expect(JSON.parse(stopped)).toMatchObject({ recordsIn: 201, deadLettered: 6 });
    const rows = (await readStream(nats.nc, "BAD_OUT")).map((m) => m.body as { n: number });
    expect(rows.reduce((a, r) => a + r.n, 0)).toBe(200); // every good record is in a fired window (d0's last one is still open)
  }, 60_000);
});

describe("weir edge with several sources and an idle timeout", () => {
  it("holds the watermark for a named source until it goes idle, then still closes every window of a stream that stopped", async () => {
    const spec = s.write(
      "multi.yaml",
      `name: multi-test
time: { field: ts, maxOutOfOrderness: 0, idleTimeout: 300ms, sources: { south: { maxOutOfOrderness: 5s } } }
key: deviceId
window: { tumbling: 1s }
aggregate: { n: count() }
source:
  - { name: north, nats: { subject: "north.>" } }
  - { name: south, nats: { subject: "south.>" } }
sink: { nats: { subject: out.multi } }
`,
    );
    const got: { deviceId: string; window_start: number; n: number }[] = [];
    const sub = nats.nc.subscribe("out.multi", { callback: (_e, m) => got.push(m.json()) });
    await nats.nc.flush();
    const edge = startEdge([spec, "--nats", nats.server.url, "--name", "multi1"]);
    await edge.waitForLog("pipeline running");
    const records = Array.from({ length: 30 }, (_, i) => ({ deviceId: `d${i % 2}`, ts: i * 100 }));
    nats.nc.publish("north.x", JSON.stringify(records));
    await nats.nc.flush();
    // south never sends: after 300 ms it stops holding the watermark; once north is idle too,
    // the watermark moves on with the clock and the last window [2000, 3000) closes as well
    await until(() => got.reduce((a, r) => a + r.n, 0) === records.length, "every record in a fired window", 20_000);
    edge.child.kill("SIGTERM");
    expect(await edge.exited).toBe(0);
    sub.unsubscribe();
    expect(got.map((r) => [r.deviceId, r.window_start, r.n])).toEqual([
      ["d0", 0, 5], ["d1", 0, 5],
      ["d0", 1000, 5], ["d1", 1000, 5],
      ["d0", 2000, 5], ["d1", 2000, 5],
    ]);
  }, 60_000);
});
