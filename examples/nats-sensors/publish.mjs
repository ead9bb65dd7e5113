// Publishes input.jsonl to the SENSORS stream as msgpack, 50 readings per
// message, for the nats-sensors example. Usage: node publish.mjs [nats-url]
import { readFileSync } from "node:fs";
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { pack } from "msgpackr";

const url = process.argv[2] ?? "nats://127.0.0.1:4222";
const readings = readFileSync(new URL("./input.jsonl", import.meta.url), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const nc = await connect({ servers: url, noAsyncTraces: true });
const jsm = await jetstreamManager(nc);
await jsm.streams.info("SENSORS").catch(() => jsm.streams.add({ name: "SENSORS", subjects: ["sensors.>"] }));
const js = jetstream(nc);
const acks = [];
for (let i = 0; i < readings.length; i += 50) acks.push(js.publish("sensors.gw1", pack(readings.slice(i, i + 50))));
await Promise.all(acks);
console.log(`published ${readings.length} readings in ${acks.length} messages to ${url}`);
await nc.close();
