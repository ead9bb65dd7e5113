/**
 * A checkpoint saves the state together with each source's position; the
 * two must agree even for messages that arrive on the inbox's direct lane
 * (decoded into the batch from the socket callback) just before or while
 * the checkpoint waits for its sinks. A replayable test source and an
 * in-memory store stand in for JetStream and the KV store; the pipeline,
 * inbox, decoder and kernel are the real ones.
 */
import { pack, unpack } from "msgpackr";
import { describe, expect, it } from "vitest";
import { MemoryCheckpointStore } from "../../edge/checkpoint/checkpoint-store.js";
import { EdgePipeline } from "../../edge/runtime/edge-pipeline.js";
import { NOT_TAKEN, type Inbox } from "../../edge/runtime/inbox.js";
import { createLogger } from "../../edge/runtime/log.js";
import type { OutMessage, OutputSink } from "../../edge/sinks/output-sink.js";
import type { LiveSource, SourceItem } from "../../edge/sources/live-source.js";
import { createExecutor, WindowOperator, type ResultRow } from "../../src/runtime.js";
import { loadSpec } from "../../src/spec.js";

const plan = loadSpec(`name: direct
mode: continuous
time: { field: ts, maxOutOfOrderness: 1s }
key: deviceId
window: { tumbling: 1h }
aggregate: { n: count() }
source: { jetstream: { stream: T, codec: msgpack } }
checkpoint: { interval: 1h }
endOfInput: flush
`);

/** Stream messages 1, 2, 3, … of one device, handed over as the JetStream source hands them: the direct lane first. */
class ReplayableSource implements LiveSource {
  readonly name = "T";
  readonly codec = "msgpack" as const;
  readonly describe = "test stream";
  readonly id = "jetstream:T";
  readonly replayable = true;
  private inbox: Inbox<SourceItem> | null = null;
  private index = 0;
  seq = 0;
  readonly ack = { ack: () => {} };

  start(inbox: Inbox<SourceItem>, index: number): Promise<void> {
    this.inbox = inbox;
    this.index = index;
    return new Promise(() => {});
  }

  /** Sends `n` messages, the first at event time `ts` and each next 1 ms later. */
  send(n: number, ts: number): void {
    for (let i = 0; i < n; i++) {
      const seq = ++this.seq;
      const data = pack({ deviceId: "d1", ts: ts + i });
      if (this.inbox!.deliver(this.index, data, 0, data.length, seq, this.ack) === NOT_TAKEN) this.inbox!.offer({ source: this.index, data, seq, ack: this.ack });
    }
  }

  async stop(): Promise<void> {}
  stats() {
    return { dropped: 0, slowConsumer: 0 };
  }
}

const count = (rows: readonly unknown[]) => rows.reduce<number>((s, r) => s + ((r as ResultRow).n as number), 0);

/** Collects rows; `duringWrite` runs while the pipeline waits for a write (a full sink), `duringFlush` while a checkpoint waits for it. */
class RowSink implements OutputSink {
  readonly describe = "rows";
  readonly rows: unknown[] = [];
  duringWrite: (() => void) | null = null;
  duringFlush: (() => void) | null = null;
  write(m: OutMessage): Promise<void> {
    this.rows.push(m.value);
    const f = this.duringWrite;
    this.duringWrite = null;
    return new Promise((r) => setImmediate(() => (f?.(), r())));
  }
  async flush(): Promise<void> {
    const f = this.duringFlush;
    this.duringFlush = null;
    await new Promise<void>((r) => setImmediate(() => (f?.(), r())));
  }
  async close(): Promise<void> {}
}

/** Keeps every checkpoint with the records its rows had carried out when it was saved. */
class SavingStore extends MemoryCheckpointStore {
  readonly saves: { bytes: Uint8Array; emitted: number }[] = [];
  private firstSaved: () => void = () => {};
  readonly first = new Promise<void>((r) => (this.firstSaved = r));
  constructor(private readonly sink: RowSink) {
    super();
  }
  override async save(pipeline: string, bytes: Uint8Array): Promise<void> {
    this.saves.push({ bytes, emitted: count(this.sink.rows) });
    this.firstSaved();
    return super.save(pipeline, bytes);
  }
}

/** Records a checkpoint accounts for (emitted before it, or in its state), and its position. */
function accounted(save: { bytes: Uint8Array; emitted: number }): { records: number; position: number } {
  const c = unpack(save.bytes) as { operator: Uint8Array; positions: Record<string, number> };
  const rows: ResultRow[] = [];
  const op = new WindowOperator(plan, { row: (r) => rows.push(r), late: () => {} });
  op.restore(c.operator);
  createExecutor(op).end();
  return { records: save.emitted + count(rows), position: c.positions["jetstream:T"]! };
}

const T0 = 1_767_225_600_000;
const HOUR = 3_600_000;

describe("a checkpoint with the direct lane", () => {
  it("accounts for exactly the records up to its position when messages arrive while the pipeline waits for its sinks", async () => {
    const rows = new RowSink();
    const store = new SavingStore(rows);
    const source = new ReplayableSource();
    const pipeline = new EdgePipeline({ plan, sources: [source], sinks: { rows, late: null, deadLetter: rows }, store, log: createLogger({ level: "error" }), maxUnacked: 100 }, null);
    const run = pipeline.run();
    await pipeline.started;

    // 100 messages reach the checkpoint threshold; the last closes the first window, whose row is written...
    source.send(99, T0);
    // ...and while the pipeline waits for that write, 30 more come (decoded, not yet handed to the operator)
    rows.duringWrite = () => source.send(30, T0 + 2 * HOUR + 1);
    // then 20 while the checkpoint waits for the sink to hold its rows
    rows.duringFlush = () => source.send(20, T0 + 2 * HOUR + 31);
    source.send(1, T0 + 2 * HOUR);
    await store.first;

    const first = accounted(store.saves[0]!);
    expect(first.position).toBeGreaterThanOrEqual(130);
    expect(first.records).toBe(first.position);

    pipeline.stop();
    await run;
    // the last checkpoint (at shutdown) holds every message; its open window stays in the state
    expect(accounted(store.saves.at(-1)!)).toEqual({ records: 150, position: 150 });
  });
});
