/**
 * The central merge (docs/central.md): partial summaries from any number of
 * edges, merged per (key, window) with the aggregates' own `merge`, so the
 * centre's result equals one node's result over the union of the edges'
 * records (exactly for counts, sums, extremes, exact distinct counts and
 * percentiles; HyperLogLog and DDSketch merge into the sketch of the union).
 *
 * - A newer revision from the same edge replaces its earlier one; a revision
 *   seen before (redelivery) changes nothing; another edge adds.
 * - The centre's watermark is the minimum of the edges' watermarks (sent as
 *   `watermark` summaries after their partials), skipping edges silent for
 *   `time.idleTimeout`; an edge whose input ended counts as +∞. A window
 *   fires when the watermark reaches its end, or at once when every edge of
 *   `partials.edges` has reported it.
 * - A window's state is kept until every known edge, idle or not, has
 *   passed it (plus `allowedLateness`): an edge that was offline and sends
 *   its backlog still gets merged, and the window is re-emitted with the next
 *   `revision`. Partials for windows already dropped are late.
 */
import { createAggregators, type Aggregator } from "../aggregate/aggregators.js";
import { columnLayout } from "../codec/column-layout.js";
import type { ResultRow } from "../exec/result-row.js";
import type { PipelinePlan } from "../plan/plan.js";
import { compareScalars, ValueDictionary, type Scalar } from "../state/dictionary.js";
import type { Clock } from "../time/watermark.js";
import { describeAggregates, type PartialSummary, type Summary } from "./summary.js";

export interface MergeSink {
  row(row: ResultRow): void;
  /** A partial that came after its window was dropped (past allowed lateness). */
  late(s: PartialSummary): void;
}

export interface MergeCounters {
  summaries: number;
  partials: number;
  /** Partials whose revision had been merged already (redeliveries, replays). */
  duplicates: number;
  late: number;
  rowsOut: number;
}

interface Contribution {
  revision: number;
  states: unknown[];
}

interface MergedWindow {
  id: string;
  keyValues: Scalar[];
  start: number;
  end: number;
  edges: Map<string, Contribution>;
  /** Revisions emitted so far (0: not fired yet). */
  fired: number;
  dirty: boolean;
}

interface EdgeState {
  watermark: number;
  final: boolean;
  lastSeen: number;
}

export class MergeOperator {
  readonly counters: MergeCounters = { summaries: 0, partials: 0, duplicates: 0, late: 0, rowsOut: 0 };
  private readonly aggs: Aggregator[];
  private readonly expectedAggregates: string;
  private readonly windows = new Map<string, MergedWindow>();
  private readonly edges = new Map<string, EdgeState>();
  private readonly expected: readonly string[] | null;
  private readonly idleTimeout: number | null;
  private readonly pipelineName: string;
  private wm = -Infinity;
  /** The smallest watermark of all known edges, idle ones included: state is kept until it passes. */
  private keepWm = -Infinity;

  constructor(
    readonly plan: PipelinePlan,
    private readonly sink: MergeSink,
    private readonly clock: Clock = Date.now,
  ) {
    if (plan.window.kind !== "tumbling" && plan.window.kind !== "sliding") throw new Error("only tumbling and sliding windows merge across edges");
    const layout = columnLayout(plan);
    this.aggs = createAggregators(plan.aggregates, { layout, distinctValues: layout.dict.map(() => new ValueDictionary()) });
    this.expectedAggregates = JSON.stringify(describeAggregates(plan.aggregates));
    const src = plan.sources.find((s) => s.partials)?.partials;
    this.expected = src?.edges ?? null;
    this.pipelineName = src?.pipeline ?? plan.name;
    this.idleTimeout = plan.time?.idleTimeout ?? null;
    const now = clock();
    for (const e of this.expected ?? []) this.edges.set(e, { watermark: -Infinity, final: false, lastSeen: now });
  }

  /** The centre's watermark: every edge has sent what ends at or before it. */
  get watermark(): number {
    return this.wm;
  }

  /** Edges seen or expected, with their watermarks. */
  edgeStates(): { edge: string; watermark: number | null; final: boolean; idle: boolean }[] {
    const now = this.clock();
    return [...this.edges].map(([edge, e]) => ({ edge, watermark: Number.isFinite(e.watermark) ? e.watermark : null, final: e.final, idle: this.isIdle(e, now) }));
  }

  /** Open (key, window) states. */
  get openWindows(): number {
    return this.windows.size;
  }

  /** Takes one summary; returns why it cannot be used, or null. Call `tick` to emit. */
  offer(s: Summary): string | null {
    this.counters.summaries++;
    if (s.pipeline !== this.pipelineName) return `summary of pipeline "${s.pipeline}", this one merges "${this.pipelineName}"`;
    const edge = this.edge(s.edge);
    edge.lastSeen = this.clock();
    if (s.type === "watermark") {
      if (s.final) edge.final = true;
      if (s.watermark !== null && s.watermark > edge.watermark) edge.watermark = s.watermark;
      return null;
    }
    if (JSON.stringify(s.aggregates) !== this.expectedAggregates) return `the edge's aggregates ${JSON.stringify(s.aggregates)} differ from this pipeline's`;
    const keyValues: Scalar[] = [];
    for (const k of this.plan.key) {
      const v = s.key[k];
      if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") return `key field '${k}' missing from the summary`;
      keyValues.push(v);
    }
    if (s.partials.length !== this.aggs.length) return `summary has ${s.partials.length} partial states, the pipeline ${this.aggs.length} aggregates`;
    this.counters.partials++;
    const { start, end } = s.window;
    if (this.isPast(end)) {
      this.counters.late++;
      this.sink.late(s);
      return null;
    }
    const id = JSON.stringify(keyValues) + "@" + start;
    let w = this.windows.get(id);
    if (!w) {
      w = { id, keyValues, start, end, edges: new Map(), fired: 0, dirty: false };
      this.windows.set(id, w);
    }
    const had = w.edges.get(s.edge);
    if (had && had.revision >= s.revision) {
      this.counters.duplicates++;
      return null;
    }
    let states: unknown[];
    try {
      states = s.partials.map((p, i) => this.aggs[i]!.fromPartial(p));
    } catch (e) {
      return `partial state does not decode: ${(e as Error).message}`;
    }
    w.edges.set(s.edge, { revision: s.revision, states });
    w.dirty = true;
    return null;
  }

  /** Moves the watermark (idle edges stop holding it) and emits what is due, in emission order. */
  tick(): void {
    this.advance();
    const due: MergedWindow[] = [];
    for (const w of this.windows.values()) {
      if (w.dirty && (w.end - 1 <= this.wm || this.complete(w))) due.push(w);
    }
    due.sort((a, b) => a.end - b.end || compareKeys(a.keyValues, b.keyValues) || a.start - b.start);
    for (const w of due) this.emit(w);
    for (const [id, w] of this.windows) if (this.isPast(w.end) && !w.dirty) this.windows.delete(id);
  }

  private emit(w: MergedWindow): void {
    const merged = this.aggs.map((a) => a.create());
    const edges = [...w.edges.keys()].sort();
    for (const e of edges) {
      const c = w.edges.get(e)!;
      // merge writes only into the fresh accumulator: the kept contribution stays as it came
      this.aggs.forEach((a, i) => a.merge(merged[i], c.states[i]));
    }
    const row: ResultRow = {};
    this.plan.key.forEach((k, i) => (row[k] = w.keyValues[i]!));
    row.window_start = w.start;
    row.window_end = w.end;
    this.aggs.forEach((a, i) => (row[a.plan.name] = a.result(merged[i])));
    row.revision = w.fired++;
    row.edges = edges.length;
    w.dirty = false;
    this.counters.rowsOut++;
    this.sink.row(row);
  }

  /** Every expected edge has reported this window. */
  private complete(w: MergedWindow): boolean {
    return this.expected !== null && w.fired === 0 && this.expected.every((e) => w.edges.has(e));
  }

  private isPast(end: number): boolean {
    return end - 1 + this.plan.allowedLateness < this.keepWm;
  }

  private edge(name: string): EdgeState {
    let e = this.edges.get(name);
    if (!e) {
      e = { watermark: -Infinity, final: false, lastSeen: this.clock() };
      this.edges.set(name, e);
    }
    return e;
  }

  private isIdle(e: EdgeState, now: number): boolean {
    return this.idleTimeout !== null && now - e.lastSeen >= this.idleTimeout;
  }

  private advance(): void {
    if (this.edges.size === 0) return;
    const now = this.clock();
    let w = Infinity;
    let keep = Infinity;
    let active = 0;
    let maxAll = -Infinity;
    for (const e of this.edges.values()) {
      const ew = e.final ? Infinity : e.watermark;
      if (ew > maxAll) maxAll = ew;
      if (ew < keep) keep = ew;
      if (!e.final && this.isIdle(e, now)) continue;
      active++;
      if (ew < w) w = ew;
    }
    // every edge idle: the largest edge watermark (as for idle inputs at the edge)
    if (active === 0) w = maxAll;
    if (w > this.wm) this.wm = w;
    if (keep > this.keepWm) this.keepWm = keep;
  }
}

function compareKeys(a: Scalar[], b: Scalar[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareScalars(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return 0;
}
