/**
 * The agreement check: a figure counts only when its contender took in
 * every record. Every contender must have seen every message, and no
 * connection may have been cut off by the server as a slow consumer. weir
 * must also have dropped nothing, found nothing late or unreadable, and
 * emitted exactly the rows the data closes, with Σ n equal to the records
 * in closed windows and Σ max_temp, Σ avg_temp as computed from the data.
 */
import { SUM_RELATIVE } from "../edge/check.js";
import type { IngestContender, IngestInput, IngestMeasurement } from "./contender.js";

const relDiff = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));

/** Every way a contender's view of the input differs from it; empty when it agrees. */
export function disagreements(c: IngestContender, input: IngestInput, m: IngestMeasurement): string[] {
  const out: string[] = [];
  const where = `${input.transport}: (${c.letter}) ${c.name}`;
  const exact = (what: string, got: number, want: number) => {
    if (got !== want) out.push(`${where} has ${what} ${got}, expected ${want}`);
  };
  const close = (what: string, got: number, want: number) => {
    if (!(relDiff(got, want) <= SUM_RELATIVE)) out.push(`${where} has ${what} ${got}, expected ${want} (±${SUM_RELATIVE} relative)`);
  };
  exact("records", m.records, input.records);
  exact("messages", m.messages, input.records);
  if (m.records < input.records) out.push(`${where} lost ${input.records - m.records} messages`);
  exact("connections cut off by the server as slow consumers", m.serverSlowConsumers, 0);
  if (!(m.seconds > 0)) out.push(`${where} has no timing (it never received every expected result)`);
  const w = m.weir;
  if (w) {
    const e = input.expected;
    exact("log lines about dropped core NATS messages", w.dropWarnings, 0);
    exact("late records", w.late, 0);
    exact("dead-lettered records", w.deadLettered, 0);
    exact("rows out (log)", w.rowsOut, e.rows);
    exact("rows received from its sink", w.sinkRows, e.rows);
    exact("Σ n", w.sumN, e.sumN);
    close("Σ max_temp", w.sumMax, e.sumMax);
    close("Σ avg_temp", w.sumAvg, e.sumAvg);
  }
  return out;
}
