import { expect } from "vitest";

/** True for the float aggregates whose last bits depend on the order partial sums are combined in. */
export type OrderSensitive = (field: string) => boolean;

/**
 * Asserts two row lists are equal, allowing a 1e-12 relative difference on the fields named by
 * `orderSensitive`: sliding windows combine per-slice sums, so the WASM kernel may add the same
 * numbers in another order than the reference kernel (see docs/semantics.md, "Floating-point sums").
 */
export function expectRowsClose(actual: Record<string, unknown>[], expected: Record<string, unknown>[], orderSensitive: OrderSensitive): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => {
    const ref = expected[i]!;
    expect(Object.keys(row).sort()).toEqual(Object.keys(ref).sort());
    for (const [name, v] of Object.entries(ref)) {
      const got = row[name];
      if (orderSensitive(name) && typeof v === "number" && typeof got === "number") {
        expect(Math.abs(got - v), `row ${i} field ${name}: ${got} vs ${v}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v)));
      } else {
        expect([i, name, got]).toEqual([i, name, v]);
      }
    }
  });
}
