import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { pack } from "msgpackr";
import { describe, expect, it } from "vitest";
import { readStream, replayRows, startEdge, streamCount, until, useNatsServer } from "../helpers/edge.js";

const SPEC = (extra: string) => `name: js-test
time: { field: ts, maxOutOfOrderness: 2s }
key: deviceId
window: { tumbling: 10s }
allowedLateness: 1s
aggregate:
  n: count()
  avg_temp: avg(temp)
  max_temp: max(temp)
${extra}`;

/** Deterministic readings: 8 devices, 1 per 25 ms of event time, some out of order and late. */
function readings(n: number, seed = 1) {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Array.from({ length: n }, (_, i) => {
    const r = rnd();
    const delay = r < 0.02 ? 6000 : r < 0.12 ? Math.floor(rnd() * 2000) : 0;
    return { deviceId: `d${i % 8}`, ts: 1_767_225_600_000 + i * 25 - delay, temp: Math.round(200 + 100 * rnd()) / 10 };
  });
}

const nats = useNatsServer();
const s = nats.files;


describe("weir edge with a JetStream source and sink", () => {
  it("emits exactly the rows the replay CLI emits on the same records, then drains on SIGTERM", async () => {
    const spec = s.write(
      "js.yaml",
      SPEC(`source:
  jetstream: { stream: SENSORS, subjects: ["sensors.>"], create: true, codec: msgpack }
sink:
  jetstream: { stream: SUMMARIES, subject: summaries.js-test, create: true }
`),
    );
    const records = readings(4000);
    const expected = replayRows(s, spec, records);
    expect(expected.length).toBeGreaterThan(50);

    const edge = startEdge([spec, "--nats", nats.server.url, "--name", "e1"]);
    await edge.waitForLog("pipeline running");
    const js = jetstream(nats.nc);
    for (let i = 0; i < records.length; i += 50) await js.publish(`sensors.batch`, pack(records.slice(i, i + 50)));
    await until(async () => (await streamCount(nats.nc, "SUMMARIES")) >= expected.length, "all summaries");
    edge.child.kill("SIGTERM");
    expect(await edge.exited).toBe(0);
    expect(edge.logs()).toContain('"msg":"pipeline stopped"');

    const got = await readStream(nats.nc, "SUMMARIES");
    expect(got.map((m) => m.body)).toEqual(expected);
    const ids = got.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^js-test\.d\d\.\d+\.\d+$/);
  }, 120_000);

  it("drains on SIGTERM: checkpoints and acks what it read, and a restart goes on from there (through the shared client)", async () => {
    const spec = s.write(
      "drain.yaml",
      SPEC(`checkpoint: { interval: 1h }
source:
  jetstream: { stream: DRAIN_IN, subjects: ["drain.in"], create: true, codec: json, durable: drainer, connection: shared }
sink:
  jetstream: { stream: DRAIN_OUT, subject: drain.out, create: true }
`).replace("name: js-test", "name: drain-test"),
    );
    const records = readings(3000, 7);
    const expected = replayRows(s, spec, records);
    const js = jetstream(nats.nc);
    const publish = async (part: object[]) => {
      for (let i = 0; i < part.length; i += 100) await js.publish("drain.in", new TextEncoder().encode(JSON.stringify(part.slice(i, i + 100))));
    };
    const args = [spec, "--nats", nats.server.url, "--name", "d1"];

    let edge = startEdge(args);
    await edge.waitForLog("pipeline running");
    await publish(records.slice(0, 1500));
    await until(async () => (await streamCount(nats.nc, "DRAIN_OUT")) > 0, "first rows");
    edge.child.kill("SIGTERM");
    expect(await edge.exited).toBe(0);
    // the only checkpoint is the one taken while draining (the interval is an hour); the durable is acked up to it
    const jsm = await jetstreamManager(nats.nc);
    expect((await jsm.consumers.info("DRAIN_IN", "drainer")).ack_floor.stream_seq).toBe(15);

    edge = startEdge(args);
    await edge.waitForLog("restored checkpoint");
    expect(edge.logs()).toContain('"positions":{"jetstream:DRAIN_IN":15}');
    await edge.waitForLog("pipeline running");
    await publish(records.slice(1500));
    await until(async () => (await streamCount(nats.nc, "DRAIN_OUT")) >= expected.length, "all rows");
    edge.child.kill("SIGTERM");
    expect(await edge.exited).toBe(0);
    const got = await readStream(nats.nc, "DRAIN_OUT");
    expect(got.map((m) => m.body)).toEqual(expected);
  }, 120_000);
});
