/**
 * A central merge pipeline (`weir central`, docs/central.md): partial
 * summaries from edges ──▶ MergeOperator ──▶ merged rows ──▶ sink.
 *
 * Its state is rebuilt from the summaries themselves: with a JetStream
 * source it reads the stream from the start on every start (merging is
 * idempotent: a revision seen before changes nothing), so it keeps no
 * checkpoint; rows re-emitted after a restart carry the same message ids
 * (`<pipeline>.<key>.<window_start>.<revision>`), which a JetStream sink
 * drops as duplicates.
 */
import { DeliverPolicy, jetstream, jetstreamManager, StorageType, type ConsumerMessages } from "@nats-io/jetstream";
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { decodeSummary, MergeOperator, type PartialSummary, type PipelinePlan, type ResultRow } from "../../src/runtime.js";
import type { OutMessage, OutputSink } from "../sinks/output-sink.js";
import { Inbox } from "./inbox.js";
import type { Logger } from "./log.js";

export interface CentralPipelineOptions {
  plan: PipelinePlan;
  nc: NatsConnection;
  rows: OutputSink;
  late: OutputSink | null;
  deadLetter: OutputSink;
  log: Logger;
}

export class CentralPipeline {
  readonly op: MergeOperator;
  private readonly inbox = new Inbox<Uint8Array>(8192);
  private readonly out: { sink: OutputSink; m: OutMessage }[] = [];
  private stopping = false;
  private sub: Subscription | null = null;
  private messages: ConsumerMessages | null = null;
  private deadLettered = 0;

  constructor(private readonly o: CentralPipelineOptions) {
    this.op = new MergeOperator(o.plan, {
      row: (row) => this.emitRow(row),
      late: (s) => this.emitLate(s),
    });
  }

  stop(): void {
    this.stopping = true;
    this.inbox.wake();
  }

  async run(): Promise<void> {
    const { plan, nc, log } = this.o;
    const src = plan.sources[0]!.partials!;
    if (src.jetstream) {
      const jsm = await jetstreamManager(nc);
      try {
        await jsm.streams.info(src.jetstream.stream);
      } catch (e) {
        if (!src.jetstream.create) throw new Error(`stream ${src.jetstream.stream} does not exist (set create: true): ${(e as Error).message}`);
        await jsm.streams.add({ name: src.jetstream.stream, subjects: [src.subject], storage: StorageType.File });
      }
      // an ordered consumer from the start of the stream (the stream holds this pipeline's summaries only)
      const consumer = await jetstream(nc).consumers.get(src.jetstream.stream, { deliver_policy: DeliverPolicy.All });
      this.messages = await consumer.consume({ max_messages: 1000 });
      void (async () => {
        for await (const m of this.messages!) await this.inbox.put(m.data);
      })().catch((e) => log.error("partials consumer failed", { error: String(e) }));
    } else {
      this.sub = nc.subscribe(src.subject, {
        callback: (_e, m) => {
          if (!this.inbox.offer(m.data)) log.warn("inbox full: dropping a summary", { subject: m.subject });
        },
      });
      await nc.flush();
    }
    log.info("central pipeline running", { subject: src.subject, stream: src.jetstream?.stream ?? null, expectedEdges: src.edges ?? null, sink: this.o.rows.describe });
    const tickEvery = 100;
    let nextTick = Date.now() + tickEvery;
    while (!this.stopping) {
      const data = await this.inbox.take(Math.max(0, nextTick - Date.now()));
      if (data) {
        this.handle(data);
        for (let next = this.inbox.poll(); next; next = this.inbox.poll()) this.handle(next);
      }
      if (data || Date.now() >= nextTick) {
        this.op.tick();
        await this.drainOut();
        nextTick = Date.now() + tickEvery;
      }
    }
    // what the server sent before the stop is merged too: a round trip, then the inbox
    await nc.flush().catch(() => undefined);
    this.sub?.unsubscribe();
    await this.messages?.close().catch(() => undefined);
    for (let data = this.inbox.poll(); data; data = this.inbox.poll()) this.handle(data);
    this.op.tick();
    await this.drainOut();
    await Promise.all([this.o.rows, this.o.late, this.o.deadLetter].map((s) => s?.close()));
    const c = this.op.counters;
    log.info("central pipeline stopped", { summaries: c.summaries, partials: c.partials, duplicates: c.duplicates, late: c.late, rowsOut: c.rowsOut, deadLettered: this.deadLettered });
  }

  private handle(data: Uint8Array): void {
    const s = decodeSummary(data);
    const problem = typeof s === "string" ? s : this.op.offer(s);
    if (problem === null) return;
    this.deadLettered++;
    this.out.push({
      sink: this.o.deadLetter,
      m: { value: { pipeline: this.o.plan.name, reason: problem, payload: Buffer.from(data).toString("base64") }, data, id: `${this.o.plan.name}.dead.${this.deadLettered}`, headers: { "Weir-Reason": problem.slice(0, 1000), "Weir-Pipeline": this.o.plan.name } },
    });
  }

  private emitRow(row: ResultRow): void {
    const key = this.o.plan.key.map((k) => String(row[k])).join("|");
    this.out.push({ sink: this.o.rows, m: { value: row, id: `${this.o.plan.name}.${key}.${row.window_start}.${row.revision}` } });
  }

  private emitLate(s: PartialSummary): void {
    if (!this.o.late) return;
    this.out.push({ sink: this.o.late, m: { value: s, id: `${this.o.plan.name}.late.${s.edge}.${JSON.stringify(s.key)}.${s.window.start}.${s.revision}` } });
  }

  /** Writes what the last tick produced, then flushes: merged rows are few, and readers want them now. */
  private async drainOut(): Promise<void> {
    if (this.out.length === 0) return;
    const used = new Set<OutputSink>();
    for (const { sink, m } of this.out.splice(0)) {
      used.add(sink);
      const wait = sink.write(m);
      if (wait) await wait;
    }
    for (const sink of used) await sink.flush();
  }
}
