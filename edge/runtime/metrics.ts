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
}

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
