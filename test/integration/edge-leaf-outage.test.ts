import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { pack } from "msgpackr";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scratch } from "../helpers/cli.js";
import { natsConnect, readStream, replayRows, startEdge, streamCount, until } from "../helpers/edge.js";
import { freePort, startNatsServer, type NatsServer } from "../helpers/nats-server.js";

const SPEC = `name: leaf-test
time: { field: ts, maxOutOfOrderness: 200 }
key: deviceId
window: { tumbling: 1s }
aggregate:
  n: count()
  total: sum(v)
source:
  jetstream: { stream: SENSORS, subjects: ["sensors.>"], create: true, codec: msgpack }
sink:
  jetstream: { stream: SUMMARIES, subject: summaries.leaf-test, create: true }
`;

let hub: NatsServer;
const s = scratch();
const open: NatsConnection[] = [];
beforeAll(async () => {
  hub = await startNatsServer({ name: "hub", domain: "hub", leafListen: true });
});
afterAll(async () => {
  for (const c of open) await c.close().catch(() => {});
  await hub?.destroy();
  s.cleanup();
});

describe("store-and-forward through a leaf node", () => {
  it("keeps aggregating while the hub is down; the hub then gets every summary exactly once, in order", async () => {
    const records = Array.from({ length: 20_000 }, (_, i) => ({ deviceId: `d${i % 20}`, ts: i * 2, v: i % 97 }));
    const file = s.write("leaf.yaml", SPEC);
    const expected = replayRows(s, file, records);

    const localPort = await freePort();
    const local = `nats://127.0.0.1:${localPort}`;
    const edge = startEdge([file, "--nats", local, "--leaf", `nats-leaf://127.0.0.1:${hub.leafPort}`, "--data-dir", s.path("edge-data"), "--name", "leaf1"], 170_000);
    await edge.waitForLog("pipeline running");

    // the hub's stream sources the edge's SUMMARIES across the leaf1 domain
    const hubNc = await natsConnect(hub.url);
    open.push(hubNc);
    const hubJsm = await jetstreamManager(hubNc);
    await hubJsm.streams.add({ name: "HUB_SUMMARIES", subjects: [], sources: [{ name: "SUMMARIES", external: { api: "$JS.leaf1.API", deliver: "" } }] });

    const edgeNc = await natsConnect(local);
    open.push(edgeNc);
    const js = jetstream(edgeNc);
    const publish = async (from: number, to: number) => {
      for (let i = from; i < to; i += 100) await js.publish("sensors.x", pack(records.slice(i, Math.min(to, i + 100))));
    };
    await publish(0, 6000);
    await until(async () => (await streamCount(hubNc, "HUB_SUMMARIES")) > 0, "first summaries at the hub");

    await hub.stop(); // the uplink is down
    await publish(6000, 16_000);
    await until(async () => (await streamCount(edgeNc, "SUMMARIES")) > expected.length / 2, "summaries buffered at the edge");

    hub = await hub.restart();
    await publish(16_000, 20_000);
    await until(async () => (await streamCount(edgeNc, "SUMMARIES")) >= expected.length, "every summary at the edge", 60_000);
    const hubNc2 = await natsConnect(hub.url);
    open.push(hubNc2);
    await until(async () => (await streamCount(hubNc2, "HUB_SUMMARIES")) >= expected.length, "every summary at the hub", 90_000);

    edge.child.kill("SIGTERM");
    expect(await edge.exited).toBe(0);
    const atHub = await readStream(hubNc2, "HUB_SUMMARIES");
    expect(atHub.map((m) => m.body)).toEqual(expected);
    expect(new Set(atHub.map((m) => m.id)).size).toBe(atHub.length);
  }, 180_000);
});
