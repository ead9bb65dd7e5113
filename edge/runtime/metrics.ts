/**
 * One registry of per-pipeline metrics for the whole edge node; the HTTP
 * API reads it. Values are computed when read (no timers).
 */
export interface PipelineMetrics {
  pipeline: string;
  mode: string;
  recordsIn: number;
  rowsOut: number;
  late: number;
  deadLettered: number;
  /** Messages lost before decoding (core NATS inbox overflow). */
  dropped: number;
  slowConsumerEvents: number;
  /** Pipeline watermark (epoch ms; null before the first record). */
  watermark: number | null;
  /** Wall clock minus watermark, ms (how far behind real time results are). */
  watermarkLagMs: number | null;
  openWindows: number;
  stateBytes: number;
  checkpoints: number;
  lastCheckpointAt: string | null;
  /** Bytes held in the sink stream (the store-and-forward backlog), when the sink is JetStream. */
  backlogBytes: number | null;
  /** Messages received and not yet acknowledged (their effect not yet checkpointed). */
  unacked: number;
  /** Seconds per executor call (a chunk of records, a batch end, a tick). */
  batchSeconds: HistogramSnapshot;
  /** Seconds per record, per chunk (the chunk's time divided by its records). */
  recordSeconds: HistogramSnapshot;
}

export interface HistogramSnapshot {
  /** Upper bounds, ascending (the last bucket, +Inf, is implied). */
  bounds: readonly number[];
  /** Observations <= each bound (not cumulative), then above the last. */
  counts: readonly number[];
  sum: number;
  count: number;
}

/** A fixed-bucket histogram (Prometheus-style bounds). */
export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(readonly bounds: readonly number[]) {
    this.counts = new Array(bounds.length + 1).fill(0);
  }
  observe(v: number): void {
    let i = 0;
    while (i < this.bounds.length && v > this.bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += v;
    this.count++;
  }
  snapshot(): HistogramSnapshot {
    return { bounds: this.bounds, counts: [...this.counts], sum: this.sum, count: this.count };
  }
}

/** Buckets for per-call times: 10 µs to 10 s. */
export const CALL_BUCKETS = [1e-5, 1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];
/** Buckets for per-record times: 10 ns to 100 µs. */
export const RECORD_BUCKETS = [1e-8, 5e-8, 1e-7, 5e-7, 1e-6, 5e-6, 1e-5, 1e-4];

export class MetricsRegistry {
  private readonly sources = new Map<string, () => PipelineMetrics>();

  register(name: string, read: () => PipelineMetrics): void {
    this.sources.set(name, read);
  }

  unregister(name: string): void {
    this.sources.delete(name);
  }

  pipelines(): PipelineMetrics[] {
    return [...this.sources.values()].map((read) => read());
  }
}
