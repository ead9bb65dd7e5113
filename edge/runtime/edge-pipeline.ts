/**
 * One pipeline of an edge node, running live (docs/edge.md):
 *
 *   sources ──▶ bounded inbox ──▶ decode into a column batch ──▶ executor
 *   ──▶ rows, late records, dead letters ──▶ sinks
 *
 * and, every `checkpoint.interval` and at shutdown: wait until the sinks hold
 * every message written so far, save operator state + each source's stream
 * position + firing numbers, then acknowledge the source messages. A crash
 * at any moment therefore restarts from a state whose effects are all in
 * the sinks; what follows it is read again and re-emitted under the same
 * message ids, which a JetStream sink drops as duplicates.
 */
import { pack, unpack } from "msgpackr";
import {
  createExecutor,
  rowBuilder,
  rowJsonEncoder,
  StateError,
  WindowOperator,
  type Executor,
  type FiredWindow,
  type KernelKind,
  type PipelinePlan,
  type ResultRow,
} from "../../src/runtime.js";
import type { CheckpointStore } from "../checkpoint/checkpoint-store.js";
import { decodePayload, PayloadError } from "../codec/payload.js";
import type { OutMessage, OutputSink } from "../sinks/output-sink.js";
import { HttpSource } from "../sources/http-source.js";
import type { LiveSource, SourceItem } from "../sources/live-source.js";
import type { Forwarder } from "./forwarder.js";
import { Inbox, NOT_TAKEN, SKIPPED, TAKEN, type Ack, type Delivery } from "./inbox.js";
import type { Logger } from "./log.js";
import { CALL_BUCKETS, Histogram, RECORD_BUCKETS, type MetricsRegistry, type PipelineMetrics } from "./metrics.js";

export interface PipelineSinks {
  rows: OutputSink;
  late: OutputSink | null;
  deadLetter: OutputSink;
}

export interface EdgePipelineOptions {
  plan: PipelinePlan;
  sources: LiveSource[];
  sinks: PipelineSinks;
  store: CheckpointStore | null;
  log: Logger;
  metrics?: MetricsRegistry;
  kernel?: KernelKind;
  /** Source messages held between the sources and the loop. */
  inboxCapacity?: number;
  /** Checkpoint early when this many source messages wait for their ack (default {@link MAX_UNACKED}). */
  maxUnacked?: number;
  /** Forwarding of fired windows to a central tier (`forward:`). */
  forwarder?: Forwarder | null;
}

/** What a checkpoint holds besides the operator (src/exec/checkpoint.ts). */
interface EdgeCheckpoint {
  v: 1;
  /** The plan's state shape when saved (see stateShape): state restores only into the same shape. */
  shape: string;
  operator: Uint8Array;
  /** Stream sequence of the last message in the state, per replayable source id. */
  positions: Record<string, number>;
  /** [row id without firing number, firings so far, window end] of windows that may fire again. */
  firings: [string, number, number][];
  savedAt: string;
}

/**
 * Source messages that may wait for their ack before a checkpoint is taken
 * early. A JetStream source's consumer may have twice as many
 * unacknowledged, so the server never stops delivering for want of an
 * ack; and at high rates a checkpoint, which writes the whole state, is not
 * taken more often than needed.
 */
export const MAX_UNACKED = 100_000;

/** Decoded records pushed to the executor at once. */
const CHUNK = 8192;

/**
 * What the saved state depends on: key, time, window, lateness, emit mode
 * and aggregates (not the mode, sources or sinks, which may change).
 */
export function stateShape(plan: PipelinePlan): string {
  const { key, time, window, allowedLateness, emit, aggregates, compat } = plan;
  return JSON.stringify({ key, time, window, allowedLateness, emit, aggregates, compat });
}

export type PipelineStatus = "starting" | "running" | "draining" | "stopped" | "failed";

/** Loads a pipeline's checkpoint (if any) and returns each replayable source's resume position. */
export async function loadCheckpoint(store: CheckpointStore | null, plan: PipelinePlan): Promise<EdgeCheckpoint | null> {
  if (!store) return null;
  const bytes = await store.load(plan.name);
  if (!bytes) return null;
  let c: EdgeCheckpoint;
  try {
    c = unpack(bytes) as EdgeCheckpoint;
  } catch (e) {
    throw new StateError(`checkpoint of pipeline ${plan.name} in ${store.describe} is not valid msgpack`, { cause: e });
  }
  if (c?.v !== 1) throw new StateError(`checkpoint of pipeline ${plan.name} in ${store.describe} has an unknown version`);
  return c;
}

export class EdgePipeline {
  readonly op: WindowOperator;
  private readonly exec: Executor;
  private readonly plan: PipelinePlan;
  private readonly inbox: Inbox<SourceItem>;
  private readonly batch;
  private readonly out: { sink: OutputSink; m: OutMessage }[] = [];
  private readonly positions: number[];
  private readonly acks: (Ack | null)[];
  private readonly firings = new Map<string, [number, number]>();
  private readonly trackFirings: boolean;
  /** Whether rows need their deterministic id (firing numbers, forwarding, or a sink that deduplicates by id). */
  private readonly rowIds: boolean;
  private pruneAt = 10_000;
  private unacked = 0;
  private stopping = false;
  /** While a checkpoint is taken, the direct lane takes nothing: the state must hold exactly what the positions say. */
  private holding = false;
  /** Micro-batch: whether records went to the executor since the last batch end (else an empty trigger is skipped). */
  private pushedSinceBatchEnd = false;
  private checkpoints = 0;
  private lastCheckpointAt: string | null = null;
  private backlog: number | null = null;
  private deadSeq = 0;
  private lateAt: number | string = -1;
  private lateN = 0;
  /** Dead-lettered records of the item being handled, when its sender wants them (HTTP ingest). */
  private problems: { index: number; reason: string }[] | null = null;
  private readonly batchSeconds = new Histogram(CALL_BUCKETS);
  private readonly recordSeconds = new Histogram(RECORD_BUCKETS);
  private readonly rowListeners = new Set<(row: ResultRow) => void>();
  /**
   * Rows written as JSON text, with no row object (a core NATS sink with the
   * JSON codec, rows without ids): the row's text, and the row for listeners.
   * Null otherwise.
   */
  private readonly rowText: { encode: (w: FiredWindow) => string; toRow: (w: FiredWindow) => ResultRow; write: (text: string) => void } | null = null;
  status: PipelineStatus = "starting";
  private markStarted!: () => void;
  /** Resolves once the pipeline runs (its sources listen), or when it fails or stops before that. */
  readonly started = new Promise<void>((r) => (this.markStarted = r));
  /** Why the pipeline failed, when it did. */
  error: string | null = null;
  private readonly log: Logger;

  constructor(private readonly o: EdgePipelineOptions, restored: EdgeCheckpoint | null) {
    this.plan = o.plan;
    this.log = o.log;
    this.inbox = new Inbox(o.inboxCapacity ?? 4096);
    this.trackFirings = this.plan.window.kind !== "count" && (this.plan.allowedLateness > 0 || this.plan.emit !== "final" || !!o.forwarder);
    this.rowIds = this.trackFirings || !!o.forwarder || o.sinks.rows.keepsIds === true;
    const writeText = this.rowIds ? undefined : o.sinks.rows.writeText?.bind(o.sinks.rows);
    this.op = new WindowOperator(
      this.plan,
      {
        row: (row, _at, partials) => this.emitRow(row, partials),
        late: (raw, at) => this.emitLate(raw, at),
        ...(writeText ? { fired: (w: FiredWindow) => this.emitText(w) } : {}),
      },
      { kernel: o.kernel, partials: !!o.forwarder },
    );
    if (writeText) {
      const toRow = rowBuilder(this.plan, this.op.keys);
      const encode = rowJsonEncoder(this.plan, this.op.keys) ?? ((w: FiredWindow) => JSON.stringify(toRow(w)));
      this.rowText = { encode, toRow, write: writeText };
    }
    this.positions = o.sources.map(() => 0);
    this.acks = o.sources.map(() => null);
    if (restored) {
      o.sources.forEach((s, i) => (this.positions[i] = restored.positions[s.id] ?? 0));
      if (restored.shape === stateShape(this.plan)) {
        this.op.restore(restored.operator);
        for (const [id, n, end] of restored.firings) this.firings.set(id, [n, end]);
      } else {
        this.log.warn("the spec changed its key, time, window, lateness, emit mode or aggregates: starting with empty state, sources resume from the checkpoint");
      }
    }
    this.exec = createExecutor(this.op);
    // without a late output no record's bytes are read again: the batch keeps none
    this.batch = this.op.newBatch(CHUNK, o.sinks.late !== null);
    this.inbox.direct = (source, bytes, start, end, seq, ack) => this.decodeDirect(source, bytes, start, end, seq, ack);
    o.metrics?.register(this.plan.name, () => this.metrics());
  }

  /** Asks the loop to drain and stop (SIGINT/SIGTERM). */
  stop(): void {
    this.stopping = true;
    this.inbox.wake();
  }

  /** Runs until stopped, or until every source is bounded and has ended. */
  async run(): Promise<void> {
    try {
      await this.runLoop();
    } finally {
      this.markStarted();
      await Promise.all(this.o.sources.map((s) => s.close?.().catch(() => undefined)));
    }
  }

  private async runLoop(): Promise<void> {
    const { plan, o } = this;
    let ended = 0;
    let failure: unknown = null;
    o.sources.forEach((s, i) => {
      s.start(this.inbox, i).then(
        () => {
          ended++;
          this.inbox.wake();
        },
        (e) => {
          failure ??= e;
          this.inbox.wake();
        },
      );
    });
    await Promise.all(o.sources.map((s) => s.ready?.()));
    this.status = "running";
    this.markStarted();
    this.log.info("pipeline running", {
      mode: plan.mode,
      sources: o.sources.map((s) => s.describe),
      sink: o.sinks.rows.describe,
      checkpoints: o.store?.describe ?? "none",
      resumeAfter: Object.fromEntries(o.sources.flatMap((s, i) => (s.replayable ? [[s.id, this.positions[i]]] : []))),
    });
    const micro = plan.mode === "micro-batch";
    const idle = plan.time?.idleTimeout ?? null;
    const tickEvery = idle === null ? Infinity : Math.min(1000, Math.max(10, idle / 4));
    let now = Date.now();
    let nextTrigger = micro ? now + plan.trigger : Infinity;
    let nextCheckpoint = now + plan.checkpointInterval;
    let nextTick = now + tickEvery;
    const maxUnacked = o.maxUnacked ?? MAX_UNACKED;

    while (!this.stopping) {
      if (failure) throw failure;
      const item = await this.inbox.take(Math.max(0, Math.min(nextTrigger, nextCheckpoint, nextTick) - Date.now()));
      if (item) this.handle(item);
      if (item || this.batch.length > 0) {
        // Sources hand over one message at a time: let them run (one macrotask)
        // while messages keep coming, so that one executor call takes many.
        for (let yields = 0; ; yields++) {
          for (let next = this.inbox.poll(); next; next = this.batch.length < CHUNK ? this.inbox.poll() : undefined) this.handle(next);
          if (this.batch.length >= CHUNK || yields === 8) break;
          const before = this.inbox.size + this.batch.length;
          await new Promise((r) => setImmediate(r));
          if (this.inbox.size + this.batch.length === before) break;
        }
        this.push();
        await this.drainOut();
      }
      now = Date.now();
      if (micro && now >= nextTrigger) {
        if (this.pushedSinceBatchEnd || idle !== null) {
          this.timed(() => this.exec.endBatch());
          await this.drainOut();
          this.pushedSinceBatchEnd = false;
        }
        nextTrigger = now + plan.trigger;
        // micro-batch checkpoints only at batch boundaries
        if (now >= nextCheckpoint || this.unacked >= maxUnacked) {
          await this.checkpoint();
          nextCheckpoint = Date.now() + plan.checkpointInterval;
        }
      } else if (!micro && (now >= nextCheckpoint || this.unacked >= maxUnacked)) {
        await this.checkpoint();
        nextCheckpoint = Date.now() + plan.checkpointInterval;
      }
      if (now >= nextTick) {
        this.timed(() => this.exec.tick());
        await this.drainOut();
        nextTick = now + tickEvery;
      }
      if (ended === o.sources.length && this.inbox.size === 0) {
        this.log.info("every source has ended: applying endOfInput", { endOfInput: plan.endOfInput });
        this.timed(() => this.exec.end());
        await this.drainOut(this.plan.endOfInput === "flush");
        break;
      }
    }
    await this.shutdown();
  }

  /** Stops the sources, finishes what is in flight, checkpoints, flushes the sinks. */
  private async shutdown(): Promise<void> {
    this.status = "draining";
    this.markStarted();
    await Promise.all(this.o.sources.map((s) => s.stop().catch(() => undefined)));
    for (let item = this.inbox.poll(); item; item = this.inbox.poll()) {
      this.handle(item);
      if (this.batch.length >= CHUNK) this.push();
    }
    this.push();
    if (this.plan.mode === "micro-batch") this.exec.endBatch();
    await this.drainOut();
    await this.checkpoint();
    await Promise.all([this.o.sinks.rows, this.o.sinks.late, this.o.sinks.deadLetter, this.o.forwarder?.sink].map((s) => s?.close()));
    this.o.metrics?.unregister(this.plan.name);
    this.status = "stopped";
    const c = this.op.counters;
    this.log.info("pipeline stopped", { recordsIn: c.recordsIn, rowsOut: c.rowsOut, late: c.late, deadLettered: c.deadLettered });
  }

  /**
   * Pushes what the direct lane decoded meanwhile, waits until the sinks
   * hold everything written, saves the state, then acks the sources.
   */
  async checkpoint(): Promise<void> {
    this.holding = true;
    try {
      this.push();
      await this.drainOut();
      await this.saveCheckpoint();
    } finally {
      this.holding = false;
    }
  }

  private async saveCheckpoint(): Promise<void> {
    await Promise.all([this.o.sinks.rows.flush(), this.o.sinks.late?.flush(), this.o.sinks.deadLetter.flush(), this.o.forwarder?.sink.flush()]);
    if (this.o.store) {
      const positions: Record<string, number> = {};
      this.o.sources.forEach((s, i) => {
        if (s.replayable) positions[s.id] = this.positions[i]!;
      });
      const c: EdgeCheckpoint = {
        v: 1,
        shape: stateShape(this.plan),
        operator: this.op.checkpoint(),
        positions,
        firings: [...this.firings].map(([id, [n, end]]) => [id, n, end]),
        savedAt: new Date().toISOString(),
      };
      await this.o.store.save(this.plan.name, pack(c));
    }
    this.acks.forEach((ack, i) => {
      ack?.ack();
      this.acks[i] = null;
    });
    this.unacked = 0;
    this.checkpoints++;
    this.lastCheckpointAt = new Date().toISOString();
    this.backlog = (await this.o.sinks.rows.backlogBytes?.()) ?? null;
    this.log.info("checkpoint", { positions: this.positions, recordsIn: this.op.counters.recordsIn, stateBytes: this.op.metrics().stateBytes });
  }

  metrics(): PipelineMetrics {
    const m = this.op.metrics();
    const wm = this.op.watermark;
    const stats = this.o.sources.map((s) => s.stats());
    return {
      pipeline: this.plan.name,
      mode: this.plan.mode,
      recordsIn: m.recordsIn,
      rowsOut: m.rowsOut,
      late: m.late,
      deadLettered: m.deadLettered,
      dropped: stats.reduce((a, s) => a + s.dropped, 0),
      slowConsumerEvents: stats.reduce((a, s) => a + s.slowConsumer, 0),
      watermark: Number.isFinite(wm) ? wm : null,
      watermarkLagMs: Number.isFinite(wm) ? Date.now() - wm : null,
      openWindows: m.openWindows,
      stateBytes: m.stateBytes,
      checkpoints: this.checkpoints,
      lastCheckpointAt: this.lastCheckpointAt,
      backlogBytes: this.backlog,
      unacked: this.unacked,
      batchSeconds: this.batchSeconds.snapshot(),
      recordSeconds: this.recordSeconds.snapshot(),
    };
  }

  private push(): void {
    const n = this.batch.length;
    if (n === 0) return;
    this.pushedSinceBatchEnd = true;
    const t0 = performance.now();
    this.exec.push(this.batch);
    const sec = (performance.now() - t0) / 1000;
    this.batchSeconds.observe(sec);
    this.recordSeconds.observe(sec / n);
    this.batch.clear();
  }

  /** Times an executor call that is not a chunk of records (a batch end, a tick, the end). */
  private timed(f: () => void): void {
    const t0 = performance.now();
    f();
    this.batchSeconds.observe((performance.now() - t0) / 1000);
  }

  /** The pipeline's HTTP source, if its spec has one. */
  get httpSource(): HttpSource | null {
    return (this.o.sources.find((s) => s instanceof HttpSource) as HttpSource | undefined) ?? null;
  }

  /** Calls `listener` with every result row from now on; returns the unsubscribe function. */
  onRow(listener: (row: ResultRow) => void): () => void {
    this.rowListeners.add(listener);
    return () => this.rowListeners.delete(listener);
  }

  /**
   * The inbox's direct lane (NATS, JetStream): a msgpack payload holding
   * one valid record goes straight into the batch while it has room;
   * anything else (JSON, several records, a record with a problem) is
   * queued as an item and takes the general path, dead letters included.
   * A JetStream redelivery of a message already in the state is dropped
   * here as in {@link handle}. A full batch is pushed on the spot, so that
   * a busy stream stays on this lane rather than queueing a copy of every
   * message.
   */
  private decodeDirect(source: number, bytes: Uint8Array, start: number, end: number, seq: number, ack: Ack | null): Delivery {
    const src = this.o.sources[source]!;
    if (this.stopping || this.holding || src.codec !== "msgpack") return NOT_TAKEN;
    if (seq > 0 && seq <= this.positions[source]!) return SKIPPED;
    if (this.batch.length >= CHUNK) this.push();
    // one record per message only: an array taken in part would have to resume in the loop
    if (this.op.decodeMsgpack(this.batch, bytes, this.o.sources.length > 1 ? src.name : undefined, false, start, end) !== null) return NOT_TAKEN;
    if (seq > 0) this.advance(source, seq, ack);
    return TAKEN;
  }

  /** The state now holds `source` up to stream position `seq`; `ack` acknowledges it after the next checkpoint. */
  private advance(source: number, seq: number, ack: Ack | null): void {
    this.positions[source] = seq;
    this.acks[source] = ack;
    this.unacked++;
  }

  /** Decodes one source item into the batch; what cannot be used goes to the dead-letter sink. */
  private handle(item: SourceItem): void {
    const src = this.o.sources[item.source]!;
    if (item.seq !== undefined) {
      if (item.seq <= this.positions[item.source]!) return; // redelivered: already in the state
      this.advance(item.source, item.seq, item.ack ?? null);
    }
    const input = this.o.sources.length > 1 ? src.name : undefined;
    this.problems = item.done ? [] : null;
    try {
      this.decodeItem(item, src, input);
    } finally {
      if (item.done) item.done(this.problems!);
      this.problems = null;
    }
  }

  private decodeItem(item: SourceItem, src: LiveSource, input: string | undefined): void {
    if (item.data) {
      let from = 0;
      if (src.codec === "msgpack") {
        if (this.batch.length >= CHUNK) this.push();
        const rest = this.op.decodeMsgpack(this.batch, item.data, input, true);
        if (rest === null) return;
        from = rest;
      }
      const d = decodePayload(item.data, src.codec);
      if (d instanceof PayloadError) {
        this.op.countDeadLetter();
        this.deadLetter(item, d.reason, item.data, 0);
      } else if (Array.isArray(d)) {
        this.decodeRecords(d, item, input, from);
      } else {
        this.decodeOne(d, d, item, 0, input);
      }
    } else if (item.records) {
      this.decodeRecords(item.records, item, input);
    } else if (item.lines) {
      item.lines.forEach((line, i) => {
        if (line.trim() === "") return;
        let rec: unknown;
        try {
          rec = JSON.parse(line);
        } catch (e) {
          this.op.countDeadLetter();
          this.deadLetter(item, `invalid JSON: ${(e as Error).message}`, line, (item.firstLine ?? 1) + i);
          return;
        }
        this.decodeOne(rec, line, item, (item.firstLine ?? 1) + i, input);
      });
    }
  }

  /** Records [from, end) of a message or request; `from` > 0 when the direct msgpack path took the ones before. */
  private decodeRecords(records: readonly unknown[], item: SourceItem, input: string | undefined, from = 0): void {
    for (let i = from; i < records.length; i++) this.decodeOne(records[i], records[i], item, i, input);
  }

  private decodeOne(rec: unknown, raw: unknown, item: SourceItem, i: number, input: string | undefined): void {
    if (this.batch.length >= CHUNK) this.push();
    const problem = this.op.decode(this.batch, rec, raw, input);
    if (problem !== null) this.deadLetter(item, problem, typeof raw === "string" ? raw : JSON.stringify(raw) ?? String(raw), i);
  }

  private deadLetter(item: SourceItem, reason: string, payload: Uint8Array | string, index: number): void {
    this.problems?.push({ index, reason });
    const src = this.o.sources[item.source]!;
    const data = typeof payload === "string" ? new TextEncoder().encode(payload) : payload;
    const where = item.seq !== undefined ? `${item.seq}.${index}` : `n${this.deadSeq++}`;
    this.out.push({
      sink: this.o.sinks.deadLetter,
      m: {
        value: { pipeline: this.plan.name, source: src.name, subject: item.msg?.subject ?? null, seq: item.seq ?? null, reason, payload: Buffer.from(data).toString(isText(data) ? "utf8" : "base64") },
        data,
        id: `${this.plan.name}.dead.${src.name}.${where}`,
        headers: { "Weir-Reason": reason.slice(0, 1000), "Weir-Pipeline": this.plan.name, "Weir-Source": src.name },
      },
    });
  }

  /** A row straight to the sink as JSON text (see rowText); listeners get the row object. */
  private emitText(w: FiredWindow): void {
    const t = this.rowText!;
    t.write(t.encode(w));
    if (this.rowListeners.size === 0) return;
    const row = t.toRow(w);
    for (const l of this.rowListeners) l(row);
  }

  private emitRow(row: ResultRow, partials?: unknown[]): void {
    if (!this.rowIds) {
      // no firing numbers, no forwarding, a sink without message ids: the row alone (the latency path)
      this.out.push({ sink: this.o.sinks.rows, m: { value: row, id: "" } });
      for (const l of this.rowListeners) l(row);
      return;
    }
    const keyPart = this.plan.key.map((k) => String(row[k])).join("|");
    const win = row.window_start ?? row.window_seq;
    const base = `${this.plan.name}.${keyPart}.${win}`;
    let firing = 0;
    if (this.trackFirings) {
      const f = this.firings.get(base);
      firing = f ? f[0] + 1 : 0;
      this.firings.set(base, [firing, row.window_end as number]);
      if (this.firings.size > this.pruneAt) this.pruneFirings();
    }
    const id = `${base}.${firing}`;
    this.out.push({ sink: this.o.sinks.rows, m: { value: row, id } });
    const fwd = this.o.forwarder;
    if (fwd) this.out.push({ sink: fwd.sink, m: fwd.partial(row, partials, firing, this.op.watermark, id) });
    for (const l of this.rowListeners) l(row);
  }

  /** Forgets firing numbers of windows past allowed lateness: they never fire again. */
  private pruneFirings(): void {
    const wm = this.op.watermark;
    for (const [id, [, end]] of this.firings) if (end - 1 + this.plan.allowedLateness <= wm) this.firings.delete(id);
    this.pruneAt = Math.max(10_000, 2 * this.firings.size);
  }

  /**
   * A late record, identified by where the executor says it was judged
   * (continuous: its stream index; micro-batch: its batch and order in it),
   * which a replay from the same checkpoint reproduces.
   */
  private emitLate(raw: unknown, at: number | string): void {
    if (at !== this.lateAt) {
      this.lateAt = at;
      this.lateN = 0;
    }
    const sink = this.o.sinks.late;
    if (!sink) return;
    // raw: a JSON line, a msgpack payload read without an object, or the record
    const value = typeof raw === "string" ? JSON.parse(raw) : raw instanceof Uint8Array ? decodePayload(raw, "msgpack") : raw;
    this.out.push({ sink, m: { value, id: `${this.plan.name}.late.${at}.${this.lateN++}` } });
  }

  /** Writes what the last step produced, in order, waiting where a sink is full; then the forwarded watermark. */
  private async drainOut(final = false): Promise<void> {
    const fwd = this.o.forwarder;
    if (fwd) for (const m of fwd.watermark(this.op.watermark, final)) this.out.push({ sink: fwd.sink, m });
    for (let i = 0; i < this.out.length; i++) {
      const { sink, m } = this.out[i]!;
      const wait = sink.write(m);
      if (wait) await wait;
    }
    this.out.length = 0;
  }
}

function isText(data: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}
