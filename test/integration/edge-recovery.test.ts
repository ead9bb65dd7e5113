import { jetstream } from "@nats-io/jetstream";
import { pack } from "msgpackr";
import { describe, expect, it } from "vitest";
import { readStream, replayRows, startEdge, streamCount, until, useNatsServer } from "../helpers/edge.js";

const RECORDS = 100_000;
const PER_MESSAGE = 50;

function spec(stream: string, sink: string) {
  return `name: recovery-${stream.toLowerCase()}
time: { field: ts, maxOutOfOrderness: 500 }
key: deviceId
window: { tumbling: 1s }
allowedLateness: 300
checkpoint: { interval: 250ms }
aggregate:
  n: count()
  total: sum(v)
  hi: max(v)
source:
  jetstream: { stream: ${stream}, subjects: ["${stream.toLowerCase()}.>"], create: true, codec: msgpack }
sink:
  jetstream: { stream: ${sink}, subject: ${sink.toLowerCase()}, create: true }
`;
}

/** Seeded records: 50 devices, event time 1 ms apart, some out of order, some late. */
function records(seed: number) {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Array.from({ length: RECORDS }, (_, i) => {
    const r = rnd();
    const delay = r < 0.01 ? 700 + Math.floor(rnd() * 400) : r < 0.1 ? Math.floor(rnd() * 500) : 0;
    return { deviceId: `d${Math.floor(rnd() * 50)}`, ts: i - delay, v: Math.floor(rnd() * 1000) };
  });
}

const nats = useNatsServer();
const s = nats.files;

describe("weir edge crash recovery", () => {
  for (const seed of [11, 22, 33]) {
    it(`after SIGKILLs at random moments (seed ${seed}) the sink stream holds exactly the rows of a run without failure`, async () => {
      const stream = `IN${seed}`;
      const sink = `OUT${seed}`;
      const file = s.write(`recovery-${seed}.yaml`, spec(stream, sink));
      const recs = records(seed);
      const expected = replayRows(s, file, recs, `seed-${seed}`);

      let rnd = seed;
      const next = () => ((rnd = (rnd * 48271) % 2147483647) / 2147483647);
      const args = [file, "--nats", nats.server.url, "--name", `crash${seed}`];
      // the publisher streams while the edge node is killed and restarted
      let edge = startEdge(args);
      await edge.waitForLog("pipeline running");
      const js = jetstream(nats.nc);
      const publishing = (async () => {
        for (let i = 0; i < recs.length; i += PER_MESSAGE * 20) {
          const acks = [];
          for (let j = i; j < Math.min(recs.length, i + PER_MESSAGE * 20); j += PER_MESSAGE) acks.push(js.publish(`${stream.toLowerCase()}.readings`, pack(recs.slice(j, j + PER_MESSAGE))));
          await Promise.all(acks);
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      // the first process lives until its first checkpoint, so that every restart has one to restore
      await edge.waitForLog('"msg":"checkpoint"');
      let kills = 0;
      for (; kills < 4; kills++) {
        await new Promise((r) => setTimeout(r, 150 + next() * 900));
        edge.child.kill("SIGKILL");
        await edge.exited;
        edge = startEdge(args);
        await edge.waitForLog("pipeline running");
      }
      await publishing;
      await until(async () => (await streamCount(nats.nc, sink)) >= expected.length, `${expected.length} rows in ${sink}`, 60_000);
      edge.child.kill("SIGTERM");
      expect(await edge.exited).toBe(0);

      const got = await readStream(nats.nc, sink);
      const ids = got.map((m) => m.id!);
      expect(new Set(ids).size).toBe(ids.length);
      const key = (row: object) => JSON.stringify(row);
      expect(got.map((m) => key(m.body as object)).sort()).toEqual(expected.map(key).sort());
      expect(edge.logs()).toContain("restored checkpoint");
    }, 180_000);
  }
});
