/**
 * The agreement check: a figure counts only when its contender saw the
 * whole input. nats.js-bare must count every record and message; weir-edge
 * must take in every record (none late, none dead-lettered) and leave in its
 * sink exactly the rows the data closes, with Σ n equal to the records in
 * those windows and Σ max_temp, Σ avg_temp as computed from the data.
 */
import type { CaseInput, EdgeMeasurement } from "./contender.js";
import type { WeirEdgeMeasurement } from "./weir-edge.js";

/** Relative tolerance of sums of doubles added in different orders. */
export const SUM_RELATIVE = 1e-9;

const relDiff = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));

/** Every way a contender's view of a case differs from the input; empty when it agrees. */
export function disagreements(impl: string, input: CaseInput, m: EdgeMeasurement | WeirEdgeMeasurement): string[] {
  const out: string[] = [];
  const where = `${input.case.name}: ${impl}`;
  const exact = (what: string, got: number, want: number) => {
    if (got !== want) out.push(`${where} has ${what} ${got}, expected ${want}`);
  };
  const close = (what: string, got: number, want: number) => {
    if (!(relDiff(got, want) <= SUM_RELATIVE)) out.push(`${where} has ${what} ${got}, expected ${want} (±${SUM_RELATIVE} relative)`);
  };
  exact("records", m.records, input.records);
  exact("messages", m.messages, input.messages);
  if ("stopped" in m) {
    const e = input.expected;
    exact("late records", m.stopped.late, 0);
    exact("dead-lettered records", m.stopped.deadLettered, 0);
    exact("rows out (log)", m.stopped.rowsOut, e.rows);
    exact("rows in the sink stream", m.sink.rows, e.rows);
    exact("Σ n", m.sink.sumN, e.sumN);
    close("Σ max_temp", m.sink.sumMax, e.sumMax);
    close("Σ avg_temp", m.sink.sumAvg, e.sumAvg);
  }
  return out;
}
