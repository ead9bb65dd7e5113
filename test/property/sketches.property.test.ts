import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DDSketch } from "../../src/aggregate/ddsketch.js";
import { hash64 } from "../../src/aggregate/hash.js";
import { hllAdd, hllEstimate, hllMerge } from "../../src/aggregate/hyperloglog.js";
import { createAggregators, decodePartialState, encodePartialState, mergeStates, resolveSpec } from "../../src/index.js";
import { columnLayout } from "../../src/codec/column-layout.js";
import { ValueDictionary } from "../../src/state/dictionary.js";
import { WindowOperator } from "../../src/exec/window-operator.js";
import { everyAggregate, splitArb, splitAt } from "../helpers/arbitraries.js";

function hll(values: Iterable<string | number>, p: number): Uint8Array {
  const reg = new Uint8Array(1 << p);
  const h = new Uint32Array(2);
  for (const v of values) {
    hash64(v, h, 0);
    hllAdd(reg, p, h[0]!, h[1]!);
  }
  return reg;
}

describe("HyperLogLog", () => {
  it("estimates distinct counts within 4 standard errors (p = 9 and p = 14)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 1, max: 1e9 }), fc.constantFrom(9, 14), fc.boolean(), (n, salt, p, strings) => {
        const values = Array.from({ length: n }, (_, i) => (strings ? `dev-${salt}-${i}` : salt * 1_000_003 + i));
        const est = hllEstimate(hll(values, p));
        const bound = 4 * (1.04 / Math.sqrt(1 << p)) * n + 2;
        expect(Math.abs(est - n)).toBeLessThanOrEqual(bound);
      }),
      { seed: 11, numRuns: 40 },
    );
  });

  it("is nearly exact for small sets", () => {
    for (const n of [0, 1, 2, 5, 10, 50]) {
      expect(Math.abs(hllEstimate(hll(Array.from({ length: n }, (_, i) => `k${i}`), 9)) - n)).toBeLessThanOrEqual(Math.max(1, n * 0.02));
    }
  });

  it("merging sketches of a random split equals the sketch of the whole", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 500 }), splitArb(5), (values, cuts) => {
        const merged = splitAt(values, cuts)
          .map((part) => hll(part, 10))
          .reduce((a, b) => hllMerge(a, b));
        expect(merged).toEqual(hll(values, 10));
      }),
      { seed: 12, numRuns: 100 },
    );
  });
});

describe("DDSketch", () => {
  it("answers every quantile within 1% of the exact value of the same rank", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: -100, max: 100 }), fc.constant(0)), { minLength: 1, maxLength: 400 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const s = new DDSketch();
          for (const v of values) s.add(v);
          const sorted = values.slice().sort((a, b) => a - b);
          const exact = sorted[Math.floor(q * (sorted.length - 1))]!;
          const est = s.quantile(q)!;
          expect(Math.abs(est - exact)).toBeLessThanOrEqual(0.01 * Math.abs(exact) + 1e-9);
        },
      ),
      { seed: 13, numRuns: 300 },
    );
  });
});

describe("partial state", () => {
  const plan = resolveSpec({
    name: "m",
    time: { field: "ts" },
    key: "k",
    window: { tumbling: 10 },
    aggregate: everyAggregate("c"),
  });

  it("merged from random splits (through msgpack) equals the state of the whole", () => {
    const layout = columnLayout(plan);
    fc.assert(
      fc.property(
        fc.array(fc.record({ v: fc.option(fc.double({ min: -1e3, max: 1e3, noNaN: true })), c: fc.oneof(fc.string({ maxLength: 3 }), fc.integer({ min: 0, max: 20 })) }), { maxLength: 200 }),
        splitArb(5),
        (values, cuts) => {
          const op = new WindowOperator(plan, { row: () => {}, late: () => {} });
          const batch = op.newBatch();
          values.forEach((x, i) => op.decode(batch, { k: "a", ts: 0, ...x }, i));
          // A second edge with its own dictionary decodes the encoded parts.
          const other = createAggregators(plan.aggregates, { layout, distinctValues: layout.dict.map(() => new ValueDictionary()) });
          const whole = op.aggregators.map((a) => a.create());
          for (let i = 0; i < batch.length; i++) op.aggregators.forEach((a, k) => a.add(whole[k], batch, i, i));
          const bounds = splitAt(values.map((_, i) => i), cuts);
          const merged = other.map((a) => a.create());
          for (const part of bounds) {
            const st = op.aggregators.map((a) => a.create());
            for (const i of part) op.aggregators.forEach((a, k) => a.add(st[k], batch, i, i));
            mergeStates(other, merged, decodePartialState(other, encodePartialState(op.aggregators, st)));
          }
          const want = op.aggregators.map((a, k) => a.result(whole[k]));
          const got = other.map((a, k) => a.result(merged[k]));
          got.forEach((g, k) => {
            if (typeof g === "number" && typeof want[k] === "number" && ["s", "m"].includes(plan.aggregates[k]!.name)) {
              expect(g).toBeCloseTo(want[k] as number, 9);
            } else expect(g).toEqual(want[k]);
          });
        },
      ),
      { seed: 14, numRuns: 200 },
    );
  });

  it("rejects bytes of another version or shape", () => {
    const aggs = createAggregators(plan.aggregates, { layout: columnLayout(plan), distinctValues: [new ValueDictionary()] });
    expect(() => decodePartialState(aggs, new Uint8Array([0xc1]))).toThrow(/not valid msgpack|not version/);
    expect(() => decodePartialState(aggs.slice(1), encodePartialState(aggs, aggs.map((a) => a.create())))).toThrow(`${aggs.length} aggregates, the plan ${aggs.length - 1}`);
  });
});
