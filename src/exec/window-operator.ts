/**
 * The operator core both executors share: decoding into column batches,
 * the watermark, and the kernel. It knows nothing of files, sockets or
 * timers; executors decide when a step ends (docs/semantics.md "Watermarks":
 * after every record in continuous mode, at batch end in micro-batch mode).
 */
import { createAggregators, type Aggregator } from "../aggregate/aggregators.js";
import { ColumnBatch } from "../codec/column-batch.js";
import { columnLayout, type ColumnLayout } from "../codec/column-layout.js";
import { RecordDecoder } from "../codec/record-decoder.js";
import type { FiredRows, FiredWindow, KernelFactory, KernelOutput, WindowKernel } from "../kernel/kernel.js";
import { createKernelFactory, type KernelKind } from "../kernel/kernel-factory.js";
import type { PipelinePlan } from "../plan/plan.js";
import { KeyDictionary, ValueDictionary } from "../state/dictionary.js";
import { WatermarkTracker, type Clock } from "../time/watermark.js";
import { checkpointOperator, restoreOperator } from "./checkpoint.js";
import { rowBuilder, type ResultRow } from "./result-row.js";

/** What an operator emits. `emittedAt` is set by the executor (record or batch index, or "eoi"). */
export interface OperatorSink {
  /** A result row; `partials`: the window's partial state (each aggregator's partial form), with OperatorOptions.partials. */
  row(row: ResultRow, at: EmitPoint, partials?: unknown[]): void;
  /**
   * Optional: takes fired windows as the kernel gives them (key id,
   * bounds, values; valid only during the call) instead of `row`, for
   * consumers that need no row object (benchmarks, partial-state forwarding).
   */
  fired?(w: FiredWindow, at: EmitPoint): void;
  /**
   * Optional, with `fired`: takes runs of fired windows in bulk when the
   * kernel can give them so (see FiredRows); `fired` gets the rest.
   */
  firedRows?(rows: FiredRows): void;
  /** A record every window dropped as late, as it came in. */
  late(raw: unknown, at: EmitPoint): void;
}

/** Where an emission happened: a record index (continuous), a batch index (micro-batch), or end of input. */
export type EmitPoint = number | "eoi";

export interface Counters {
  recordsIn: number;
  /** Micro-batches completed. */
  batches: number;
  rowsOut: number;
  late: number;
  deadLettered: number;
}

/** Counters plus the kernel's state accounting, now and at its peak so far. */
export interface OperatorMetrics extends Counters {
  openWindows: number;
  stateBytes: number;
  peakOpenWindows: number;
  peakStateBytes: number;
}

/** Peak state is sampled at most this often (ms). */
const PEAK_SAMPLE_MS = 200;

export interface OperatorOptions {
  /** The window kernel: "wasm" (default), "ts" (the reference kernel) or a factory. */
  kernel?: KernelKind | KernelFactory;
  /** Processing-time clock for idle timeouts (default Date.now). */
  clock?: Clock;
  /** Rows of time windows come with their partial state (forwarding to a central tier). */
  partials?: boolean;
}

export class WindowOperator {
  readonly layout: ColumnLayout;
  readonly keys: KeyDictionary;
  readonly distinct: ValueDictionary[];
  readonly watermarks: WatermarkTracker;
  readonly aggregators: Aggregator[];
  readonly kernel: WindowKernel;
  readonly counters: Counters = { recordsIn: 0, batches: 0, rowsOut: 0, late: 0, deadLettered: 0 };
  private readonly decoder: RecordDecoder;
  private readonly toRow: (w: FiredWindow) => ResultRow;
  private wmColumn = new Float64Array(1025);
  /** Where rows emitted by a step or record are attributed; set per call. */
  private at: (index: number) => EmitPoint = () => "eoi";
  private batch: ColumnBatch | null = null;
  private readonly out: KernelOutput;
  private peakOpenWindows = 0;
  private peakStateBytes = 0;
  private lastPeakSample = -Infinity;

  constructor(readonly plan: PipelinePlan, private readonly sink: OperatorSink, opts: OperatorOptions = {}) {
    this.layout = columnLayout(plan);
    this.keys = new KeyDictionary(plan.key.length);
    this.distinct = this.layout.dict.map(() => new ValueDictionary());
    this.watermarks = new WatermarkTracker(plan.time, plan.compat, opts.clock ?? Date.now);
    this.aggregators = createAggregators(plan.aggregates, { layout: this.layout, distinctValues: this.distinct });
    const factory = typeof opts.kernel === "function" ? opts.kernel : createKernelFactory(opts.kernel ?? "wasm");
    this.kernel = factory(plan, {
      aggregators: this.aggregators,
      layout: this.layout,
      compareKeys: this.keys.compare,
      keyRanks: () => this.keys.ranks(),
      keyCount: () => this.keys.size,
      partials: opts.partials,
    });
    this.decoder = new RecordDecoder(plan, this.layout, { keys: this.keys, distinct: this.distinct, watermarks: this.watermarks });
    this.toRow = rowBuilder(plan, this.keys);
    const fired = sink.fired?.bind(sink);
    this.out = {
      fire: fired
        ? (w, index) => {
            this.counters.rowsOut++;
            fired(w, this.at(index));
          }
        : (w, index) => {
            this.counters.rowsOut++;
            this.sink.row(this.toRow(w), this.at(index), w.partials);
          },
      late: (index) => {
        this.counters.late++;
        this.sink.late(this.batch!.rawOf(index), this.at(index));
      },
    };
    const firedRows = fired && sink.firedRows?.bind(sink);
    if (firedRows) {
      this.out.fireRows = (rows) => {
        this.counters.rowsOut += rows.count;
        firedRows(rows);
      };
    }
  }

  /** The pipeline watermark W (every event time <= W has been seen). */
  get watermark(): number {
    return this.watermarks.current;
  }

  /** The operator's state between executor calls, restorable with either kernel (see checkpoint.ts). */
  checkpoint(): Uint8Array {
    return checkpointOperator(this);
  }

  /** Loads a checkpoint into this fresh operator. @throws StateError */
  restore(bytes: Uint8Array): void {
    restoreOperator(this, bytes);
  }

  /** Counters and state accounting (the kernel's open windows and bytes of state). */
  metrics(): OperatorMetrics {
    const { openWindows, stateBytes } = this.notePeak();
    return { ...this.counters, openWindows, stateBytes, peakOpenWindows: this.peakOpenWindows, peakStateBytes: this.peakStateBytes };
  }

  /**
   * State is largest after records went in and before windows fire: sampled
   * there, at most every PEAK_SAMPLE_MS (counting open windows walks the
   * state, which must not happen per chunk or per batch).
   */
  private samplePeak(): void {
    const now = performance.now();
    if (now - this.lastPeakSample < PEAK_SAMPLE_MS) return;
    this.lastPeakSample = now;
    this.notePeak();
  }

  private notePeak(): { openWindows: number; stateBytes: number } {
    const s = this.kernel.stats();
    if (s.openWindows > this.peakOpenWindows) this.peakOpenWindows = s.openWindows;
    if (s.stateBytes > this.peakStateBytes) this.peakStateBytes = s.stateBytes;
    return s;
  }

  /**
   * An empty batch with this operator's column layout. `keepRaw: false` when
   * late records are not written anywhere: the batch then keeps no record's
   * raw form (late ones are counted, and handed on as undefined).
   */
  newBatch(capacity = 4096, keepRaw = true): ColumnBatch {
    return new ColumnBatch(this.layout, capacity, keepRaw);
  }

  /**
   * Decodes one record into `batch`. Returns null, or the reason the record
   * is unusable (counted as dead-lettered; the caller routes it). `input`:
   * the name of the live source it came from, when the pipeline has several.
   */
  decode(batch: ColumnBatch, record: unknown, raw: unknown, input?: string): string | null {
    const problem = this.decoder.append(batch, record, raw, input);
    if (problem !== null) this.counters.deadLettered++;
    return problem;
  }

  /**
   * Decodes the records of a msgpack payload (one map, or with `arrays` an
   * array of maps) into `batch` without building objects. Returns null
   * when all are in; otherwise the index k of the first record not taken:
   * the caller decodes the payload and calls {@link decode} for records k
   * onwards (see RecordDecoder.appendMsgpack); nothing is counted for them
   * here. A record's raw form (for the late output) is its bytes. The
   * payload is `bytes[start, end)` (by default all of it).
   */
  decodeMsgpack(batch: ColumnBatch, bytes: Uint8Array, input: string | undefined, arrays: boolean, start = 0, end = bytes.length): number | null {
    return this.decoder.appendMsgpack(batch, bytes, input, arrays, start, end);
  }

  /** Counts a record that failed before decoding (unparseable bytes). */
  countDeadLetter(): void {
    this.counters.deadLettered++;
  }

  /**
   * Continuous mode: every record is judged against the watermark left by
   * the one before, and the watermark advances (and windows fire) after it.
   * `firstIndex` is the stream index of the batch's first record.
   */
  processContinuous(batch: ColumnBatch, firstIndex: number): void {
    const n = batch.length;
    if (n === 0) return;
    if (this.wmColumn.length < n + 1) this.wmColumn = new Float64Array(2 * n + 1);
    const wm = this.wmColumn;
    const w = this.watermarks;
    wm[0] = w.current;
    for (let i = 0; i < n; i++) {
      w.observe(batch.input[i]!, batch.ts[i]!);
      wm[i + 1] = w.advance();
    }
    this.counters.recordsIn += n;
    this.batch = batch;
    this.at = (i) => firstIndex + i;
    this.kernel.continuous(batch, 0, n, wm, this.out);
    this.samplePeak();
  }

  /**
   * Micro-batch mode: adds records of the current batch, judged against the
   * watermark from before the batch. Nothing fires until {@link endBatch}.
   */
  accumulate(batch: ColumnBatch, batchIndex: number): void {
    const n = batch.length;
    if (n === 0) return;
    this.counters.recordsIn += n;
    this.batch = batch;
    this.at = () => batchIndex;
    // (records are judged against the watermark from before the batch: observing them after changes nothing)
    const largest = this.kernel.accumulate(batch, 0, n, this.watermarks.current, this.out);
    this.watermarks.observeBatch(batch.input, batch.ts, n, largest);
  }

  /** Micro-batch mode: the batch is complete; advance the watermark once and emit. */
  endBatch(batchIndex: number): void {
    this.samplePeak();
    this.counters.batches++;
    this.at = () => batchIndex;
    this.kernel.step(this.watermarks.advance(), this.out);
  }

  /**
   * Processing time passed with no records (live sources): idle inputs may
   * stop holding the watermark back. Emits what that closes; returns
   * whether the watermark moved.
   */
  tick(at: EmitPoint): boolean {
    const before = this.watermarks.current;
    const wm = this.watermarks.advance();
    if (wm === before) return false;
    this.at = () => at;
    this.kernel.step(wm, this.out);
    return true;
  }

  /**
   * End of a bounded input. `flush`: the watermark goes to +∞ and every
   * window that has not fired yet fires (emit final); update and complete
   * emitted every change already. `hold`: nothing fires.
   */
  endOfInput(): void {
    if (this.plan.endOfInput === "hold") return;
    this.watermarks.current = Infinity;
    if (this.plan.emit !== "final") return;
    this.at = () => "eoi";
    this.kernel.step(Infinity, this.out);
  }
}
