/**
 * `nats.js-bare`: the least a JavaScript consumer of the stream does. A
 * durable pull consumer read with `consume()`, each payload unpacked and its
 * records counted, one acknowledgement at the end. The ceiling of what any
 * Node.js pipeline on nats.js can ingest on this machine.
 */
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from "@nats-io/jetstream";
import { unpack } from "msgpackr";
import { WeirError } from "../../src/index.js";
import { connectNats } from "../../edge/nats/connection.js";
import type { CaseInput, EdgeContender, EdgeMeasurement } from "./contender.js";

const DURABLE = "bench-bare";
/** Messages the client holds (the same as weir-edge's `maxInFlight`). */
const MAX_MESSAGES = 1000;
/** Unacknowledged messages the server allows (as weir's JetStream source sets it). */
const MAX_ACK_PENDING = 200_000;
/** Give up when no message arrives for this long. */
const STALL_MS = 30_000;

export const bareContender: EdgeContender = {
  name: "nats.js-bare",
  method:
    `A durable pull consumer (AckPolicy.All, max_ack_pending ${MAX_ACK_PENDING.toLocaleString("en-US")}) in the benchmark's own process, ` +
    `on a connection with weir's options (\`noAsyncTraces: true\`). Timed: from the \`consume({ max_messages: ${MAX_MESSAGES} })\` call until ` +
    "every record is counted; each payload is unpacked with msgpackr's `unpack` and its records counted (an array's length, else 1). " +
    "The last message is acknowledged after the clock stops. It keeps no state and writes nothing: the ceiling of ingest through nats.js.",
  async run(input: CaseInput): Promise<EdgeMeasurement> {
    const { stream } = input.case;
    if (input.messages > MAX_ACK_PENDING) throw new WeirError("BENCH_CASE", `${input.messages} messages exceed max_ack_pending ${MAX_ACK_PENDING}`);
    const nc = await connectNats(input.url, "weir-bench-bare");
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.consumers.add(stream, {
        durable_name: DURABLE,
        ack_policy: AckPolicy.All,
        deliver_policy: DeliverPolicy.All,
        max_ack_pending: MAX_ACK_PENDING,
        ack_wait: 10 * 60 * 1e9,
      });
      const consumer = await jetstream(nc).consumers.get(stream, DURABLE);
      let records = 0;
      let messages = 0;
      let last: JsMsg | null = null;
      let lastProgress = Date.now();
      let stalled = false;
      const t0 = performance.now();
      const iter = await consumer.consume({ max_messages: MAX_MESSAGES });
      const watchdog = setInterval(() => {
        if (Date.now() - lastProgress > STALL_MS) {
          stalled = true;
          void iter.close();
        }
      }, 1000);
      let seconds = 0;
      try {
        for await (const m of iter) {
          const v = unpack(m.data) as unknown;
          records += Array.isArray(v) ? v.length : 1;
          messages++;
          last = m;
          if (records >= input.records) break;
          if ((messages & 63) === 0) lastProgress = Date.now();
        }
        seconds = (performance.now() - t0) / 1000;
      } finally {
        clearInterval(watchdog);
        await iter.close().catch(() => undefined);
      }
      if (stalled) throw new WeirError("BENCH_STALL", `nats.js-bare: no message for ${STALL_MS / 1000} s after ${records} records`);
      last?.ack();
      await nc.flush();
      await jsm.consumers.delete(stream, DURABLE);
      return { seconds, records, messages, rowsOut: null, startupSeconds: null, stopSeconds: null, peakRssMiB: null };
    } finally {
      await nc.close();
    }
  },
};
