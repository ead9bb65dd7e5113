import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveSpec, runBatches, type EmitMode, type Mode } from "../../src/index.js";
import { bare } from "../helpers/run.js";
import { AGGS, anyWindowArb, inOrderRecordsArb, recordsArb, splitArb, splitAt } from "../helpers/arbitraries.js";

const SEED = 20261125;

function spec(window: object, d: number, L: number, emit: EmitMode, mode: Mode) {
  return resolveSpec({ name: "p", time: { field: "ts", maxOutOfOrderness: d }, key: "k", window, allowedLateness: L, emit, aggregate: AGGS }, { mode });
}

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
