import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createExecutor,
  describeAggregates,
  MergeOperator,
  resolveSpec,
  runBatches,
  WindowOperator,
  type PartialSummary,
  type ResultRow,
  type Summary,
} from "../../src/index.js";
import { recordsArb, type Rec } from "../helpers/arbitraries.js";
import { expectRowsClose } from "../helpers/rows.js";

// first/last are left out: across edges there is no common arrival order
const AGGS = { n: "count()", nv: "count(v)", s: "sum(v)", m: "avg(v)", lo: "min(v)", hi: "max(v)", d: "count_distinct(s)", a: "approx_count_distinct(s)", p: "percentile(v, 0.4)", pa: "percentile_approx(v, 0.7)", q: "quantile(v, 0.9)", sd: "stddev(v)", vp: "var_pop(v)" };

const windowArb = fc.oneof(
  fc.integer({ min: 1, max: 30 }).map((size) => ({ tumbling: size })),
  fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 4 })).map(([slide, mult]) => ({ sliding: { size: slide * mult, slide } })),
);

/** One edge: its records through a WindowOperator whose rows carry partial states, as summaries (revision = firing number). */
function edgeSummaries(spec: object, edge: string, records: Rec[]): Summary[] {
  const plan = resolveSpec(spec, { mode: "continuous" });
  const out: Summary[] = [];
  const firings = new Map<string, number>();
  const aggregates = describeAggregates(plan.aggregates);
  const op = new WindowOperator(plan, {
    row: (row: ResultRow, _at, state) => {
      const id = `${row.k}@${row.window_start}`;
      const revision = firings.get(id) ?? 0;
      firings.set(id, revision + 1);
      const values: Record<string, number | null> = {};
      for (const a of plan.aggregates) values[a.name] = row[a.name] as number | null;
      out.push({ v: 1, type: "partial", edge, pipeline: plan.name, key: { k: row.k as string }, window: { start: row.window_start as number, end: row.window_end as number }, revision, watermark: null, aggregates, partials: state!, values } satisfies PartialSummary);
    },
    late: () => {},
  }, { partials: true, kernel: "wasm" });
  const exec = createExecutor(op);
  const batch = op.newBatch(64);
  for (const r of records) op.decode(batch, r, r);
  exec.push(batch);
  exec.end();
  out.push({ v: 1, type: "watermark", edge, pipeline: plan.name, watermark: null, final: true });
  return out;
}

describe("the central merge", () => {
  it("of random splits over edges, delivered interleaved and partly twice, equals one node over all records", () => {
    fc.assert(
      fc.property(windowArb, recordsArb, fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 80, maxLength: 80 }), fc.integer({ min: 0, max: 10 }), fc.infiniteStream(fc.nat()), (window, recs, owner, lateness, picks) => {
        const base = { name: "m", time: { field: "ts", maxOutOfOrderness: 1000 }, key: "k", window, aggregate: AGGS };
        const edgeSpec = { ...base, allowedLateness: lateness };
        const parts: Rec[][] = [[], [], []];
        recs.forEach((r, i) => parts[owner[i]!]!.push(r));
        const queues = parts.map((p, i) => edgeSummaries(edgeSpec, `e${i}`, p));
        // interleave the edges' streams at random (each edge's own order kept), redelivering some
        const rows: ResultRow[] = [];
        const central = resolveSpec({ ...base, source: { partials: { subject: "p", pipeline: "m", edges: ["e0", "e1", "e2"] } } });
        const merge = new MergeOperator(central, { row: (r) => rows.push(r), late: () => {} });
        const it = picks[Symbol.iterator]();
        const sent: Summary[] = [];
        while (queues.some((q) => q.length > 0)) {
          const live = queues.filter((q) => q.length > 0);
          const s = live[it.next().value! % live.length]!.shift()!;
          expect(merge.offer(s)).toBeNull();
          sent.push(s);
          if (it.next().value! % 5 === 0) expect(merge.offer(sent[it.next().value! % sent.length]!)).toBeNull();
          merge.tick();
        }
        merge.tick();
        const last = new Map<string, ResultRow>();
        for (const r of rows) last.set(`${r.k}@${r.window_start}`, r);
        const merged = [...last.values()].sort((a, b) => (a.window_end as number) - (b.window_end as number) || String(a.k).localeCompare(String(b.k))).map(({ revision: _r, edges: _e, ...r }) => r);
        const single = runBatches(resolveSpec({ ...base, endOfInput: "flush" }), [recs]).rows.map(({ emitted_at: _e, ...r }) => r);
        expectRowsClose(merged, single, (n) => n === "s" || n === "m" || n === "sd" || n === "vp");
      }),
      { seed: 41, numRuns: 150 },
    );
  });
});
