import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveSpec, runBatches, type EmitMode, type Mode } from "../../src/index.js";
import { bare } from "../helpers/run.js";
import { AGGS, anyWindowArb, inOrderRecordsArb, recordsArb, splitArb, splitAt, timeWindowArb } from "../helpers/arbitraries.js";

const SEED = 20261125;

function spec(window: object, d: number, L: number, emit: EmitMode, mode: Mode, aggregate: Record<string, string> = AGGS) {
  return resolveSpec({ name: "p", time: { field: "ts", maxOutOfOrderness: d }, key: "k", window, allowedLateness: L, emit, aggregate }, { mode });
}

/** Counts, sums, minima and maxima of one field: the accumulators whose sliding windows share slice combinations. */
const SUMMARY = { n: "count()", s: "sum(v)", lo: "min(v)", hi: "max(v)", m: "avg(v)" };

describe("continuous and micro-batch modes", () => {
  it("give the same rows on in-order data, however the batches are cut", () => {
    fc.assert(
      fc.property(anyWindowArb, fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), inOrderRecordsArb, splitArb(), (window, d, L, recs, cuts) => {
        const cont = runBatches(spec(window, d, L, "final", "continuous"), [recs]);
        const micro = runBatches(spec(window, d, L, "final", "micro-batch"), splitAt(recs, cuts));
        expect(bare(micro.rows)).toEqual(bare(cont.rows));
        expect(micro.late).toEqual([]);
        expect(cont.late).toEqual([]);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("give the same bits for sums over several slices whichever way a window is combined", () => {
    // Values in tenths: adding them in another order changes the last bits. In final mode windows
    // fire together (the dense visit, or the gathering one when a window holds few of the keys); in
    // update mode each window is combined alone as records change it. The last update of a window
    // must equal its final row, bit for bit.
    const decimals = inOrderRecordsArb.chain((recs) =>
      fc.tuple(fc.array(fc.integer({ min: -999, max: 999 }), { minLength: recs.length, maxLength: recs.length }), fc.boolean()).map(([vs, many]) =>
        // many: the first records bring 64 keys, so that the later windows, holding few of them, are gathered
        recs.map((r, i) => ({ ...r, k: many && i < recs.length / 2 ? `${r.k}${i % 16}` : r.k, v: vs[i]! / 10 })),
      ),
    );
    fc.assert(
      fc.property(timeWindowArb, fc.integer({ min: 0, max: 20 }), decimals, splitArb(), fc.constantFrom<Mode>("continuous", "micro-batch"), (window, d, recs, cuts, updateMode) => {
        const final = runBatches(spec(window, d, 0, "final", "micro-batch", SUMMARY), splitAt(recs, cuts)).rows;
        const updates = runBatches(spec(window, d, 0, "update", updateMode, SUMMARY), updateMode === "continuous" ? [recs] : splitAt(recs, cuts)).rows;
        const last = new Map<string, Record<string, unknown>>();
        for (const u of bare(updates)) last.set(`${String(u.k)}@${String(u.window_start)}`, u);
        expect(bare(final).map((f) => last.get(`${String(f.k)}@${String(f.window_start)}`))).toEqual(bare(final));
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it("continuous mode gives the same rows whatever the chunk size", () => {
    fc.assert(
      fc.property(
        anyWindowArb,
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.constantFrom<EmitMode>("final", "update"),
        recordsArb,
        fc.integer({ min: 2, max: 70 }),
        (window, d, L, emit, recs, chunk) => {
          if (emit === "update" && ("session" in window || "count" in window)) emit = "final";
          const p = spec(window, d, L, emit, "continuous");
          const one = runBatches(p, [recs], { chunkSize: 1 });
          const many = runBatches(p, [recs], { chunkSize: chunk });
          expect(many.rows).toEqual(one.rows);
          expect(many.late).toEqual(one.late);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});
