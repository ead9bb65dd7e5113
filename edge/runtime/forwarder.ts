/**
 * Forwarding to a central tier (`forward:`): each fired window of a key as a
 * partial summary (src/central/summary.ts) with its mergeable state, and
 * the edge's watermark after the partials it covers, on one subject or,
 * with `partitions: n`, on `<subject>.<hash(key) mod n>` so that each central
 * instance merges its own keys. Watermarks go to every partition.
 */
import { describeAggregates, encodeSummary, type AggregateDescriptor, type ForwardSpec, type PipelinePlan, type ResultRow, type Scalar } from "../../src/runtime.js";
import type { OutMessage, OutputSink } from "../sinks/output-sink.js";

/** FNV-1a of the key's JSON: the partition of a key, the same on every edge. */
export function keyPartition(keyValues: readonly unknown[], partitions: number): number {
  const s = JSON.stringify(keyValues);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}

export class Forwarder {
  private readonly aggregates: AggregateDescriptor[];
  private readonly codec: "json" | "msgpack";
  private lastWatermark = -Infinity;
  private lastSentAt = 0;

  constructor(
    private readonly plan: PipelinePlan,
    private readonly spec: ForwardSpec,
    private readonly edge: string,
    readonly sink: OutputSink,
  ) {
    this.aggregates = describeAggregates(plan.aggregates);
    this.codec = spec.codec ?? "msgpack";
  }

  /** The summary of one fired window (`revision`: the edge's firing number of it). */
  partial(row: ResultRow, state: unknown[] | undefined, revision: number, watermark: number, id: string): OutMessage {
    const keyValues = this.plan.key.map((k) => row[k] as Scalar);
    const key: Record<string, Scalar> = {};
    this.plan.key.forEach((k, i) => (key[k] = keyValues[i]!));
    const values: Record<string, number | null> = {};
    for (const a of this.plan.aggregates) values[a.name] = row[a.name] as number | null;
    const summary = {
      v: 1 as const,
      type: "partial" as const,
      edge: this.edge,
      pipeline: this.plan.name,
      key,
      window: { start: row.window_start as number, end: row.window_end as number },
      revision,
      watermark: Number.isFinite(watermark) ? watermark : null,
      aggregates: this.aggregates,
      partials: this.spec.partials !== false && state ? state : [],
      values,
    };
    const data = encodeSummary(summary, this.codec);
    return { value: summary, data, id: `${this.edge}.${id}`, subject: this.subjectOf(keyValues) };
  }

  /**
   * The watermark summary to send after the partials of a step, when the
   * watermark moved (at most every `minGapMs`), or always when `final`.
   */
  watermark(watermark: number, final: boolean, minGapMs = 200): OutMessage[] {
    const now = Date.now();
    if (!final && (watermark <= this.lastWatermark || now - this.lastSentAt < minGapMs)) return [];
    this.lastWatermark = watermark;
    this.lastSentAt = now;
    const summary = { v: 1 as const, type: "watermark" as const, edge: this.edge, pipeline: this.plan.name, watermark: Number.isFinite(watermark) ? watermark : null, final };
    const data = encodeSummary(summary, this.codec);
    const id = `${this.edge}.${this.plan.name}.wm.${final ? "final" : watermark}`;
    const n = this.spec.partitions ?? 0;
    if (n === 0) return [{ value: summary, data, id }];
    return Array.from({ length: n }, (_, p) => ({ value: summary, data, id: `${id}.${p}`, subject: `${this.spec.subject}.${p}` }));
  }

  private subjectOf(keyValues: readonly unknown[]): string | undefined {
    const n = this.spec.partitions;
    return n ? `${this.spec.subject}.${keyPartition(keyValues, n)}` : undefined;
  }
}
