/**
 * What every contender sums over its result rows, so that contenders can be
 * compared without keeping millions of rows: the number of rows and the
 * sums of the aggregate columns.
 */
export interface Totals {
  rows: number;
  /** Records dropped as late (none are expected: see data.ts). */
  late: number;
  /** Σ n and Σ sum_v (cases without sketches). */
  count: number;
  sum: number;
  /** Σ p99 and Σ distinct_k2 (the sketch case). */
  quantile: number;
  distinct: number;
  /**
   * From a contender that keeps every value: Σ of the two order statistics
   * that bracket rank q·(n − 1) in each window (equal when q·(n − 1) is
   * whole), and Σ of exact distinct counts. Every correct quantile
   * definition (lower rank, interpolated, nearest rank) lies between them.
   */
  exact?: { quantileLo: number; quantileHi: number; distinct: number };
}

export function newTotals(): Totals {
  return { rows: 0, late: 0, count: 0, sum: 0, quantile: 0, distinct: 0 };
}

const num = (v: unknown): number => (typeof v === "number" ? v : 0);

/** Adds one result row (columns named as in cases.ts). Cost: a few property reads. */
export function addRow(t: Totals, row: Record<string, unknown>): void {
  t.rows++;
  t.count += num(row.n);
  t.sum += num(row.sum_v);
  t.quantile += num(row.p99);
  t.distinct += num(row.distinct_k2);
}
