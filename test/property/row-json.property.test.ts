/**
 * The JSON text of a result row written without the row object (live
 * pipelines with JSON NATS sinks) is byte for byte what JSON.stringify
 * gives for the row object, on random key and aggregate names, key values
 * (strings with quotes, escapes and astral characters, numbers, booleans)
 * and values (fractions, -0, huge, non-finite, null).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveSpec } from "../../src/index.js";
import { rowBuilder, rowJsonEncoder } from "../../src/exec/result-row.js";
import type { FiredWindow } from "../../src/kernel/kernel.js";
import { KeyDictionary, type Scalar } from "../../src/state/dictionary.js";

const nameArb = fc.oneof(
  fc.constantFrom("deviceId", "site", "n", "avg_temp", "max", "a b", 'q"uote', "back\\slash", "ünï", "7", "01", "-1"),
  fc.string({ minLength: 1, maxLength: 6 }),
);
const scalarArb: fc.Arbitrary<Scalar> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: "grapheme", maxLength: 4 }),
  fc.constantFrom("\u0000", "\n\t", "\u2028", "😀", '"'),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
);
const valueArb: fc.Arbitrary<number | null> = fc.oneof(
  fc.double(),
  fc.integer({ min: -1e6, max: 1e6 }).map((x) => x / 100),
  fc.constantFrom(-0, 0, Infinity, -Infinity, NaN, 1e21, 5e-324, Number.MAX_VALUE),
  fc.constant(null),
);

const scenarioArb = fc.record({
  keyNames: fc.uniqueArray(nameArb, { minLength: 1, maxLength: 3 }),
  aggNames: fc.uniqueArray(nameArb, { minLength: 1, maxLength: 4 }),
  count: fc.boolean(),
  // (a few starts recur, so that rows of one window follow one another too)
  windows: fc.array(
    fc.record({ key: fc.array(scalarArb, { minLength: 3, maxLength: 3 }), start: fc.oneof(fc.integer({ min: -1e12, max: 1e13 }), fc.constantFrom(-10_000, 1.7e12)), seq: fc.nat(), values: fc.array(valueArb, { minLength: 4, maxLength: 4 }) }),
    { minLength: 1, maxLength: 8 },
  ),
});

describe("a result row's JSON text without the row object", () => {
  it("equals JSON.stringify of the row, or is not offered when names would reorder or merge the object's fields", () => {
    fc.assert(
      fc.property(scenarioArb, ({ keyNames, aggNames, count, windows }) => {
        const aggregate = Object.fromEntries(aggNames.map((n) => [n, "count()"]));
        let plan;
        try {
          plan = resolveSpec({ name: "p", time: { field: "ts" }, key: keyNames, window: count ? { count: 3 } : { tumbling: "10s" }, aggregate });
        } catch {
          return; // a name the spec refuses (a clash with a result column): no plan, no rows
        }
        const keys = new KeyDictionary(plan.key.length);
        const encode = rowJsonEncoder(plan, keys);
        const names = [...plan.key, ...(count ? ["window_seq"] : ["window_start", "window_end"]), ...plan.aggregates.map((a) => a.name)];
        const reorders = new Set(names).size !== names.length || names.some((n) => /^(0|[1-9]\d*)$/.test(n));
        expect(encode === null).toBe(reorders);
        if (!encode) return;
        const toRow = rowBuilder(plan, keys);
        for (const w of windows) {
          const kv = w.key.slice(0, plan.key.length);
          const keyId = kv.length === 1 ? keys.id(kv[0]!) : keys.tupleId(kv);
          const fired: FiredWindow = {
            keyId,
            start: count ? NaN : w.start,
            end: count ? NaN : w.start + 10_000,
            seq: count ? w.seq : -1,
            values: w.values.slice(0, plan.aggregates.length),
          };
          expect(encode(fired)).toBe(JSON.stringify(toRow(fired)));
        }
      }),
      { seed: 20261130, numRuns: 400 },
    );
  });
});
