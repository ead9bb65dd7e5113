/**
 * The two ways records travel in messages. Each case gets its own input
 * stream (and weir its own output stream), published before any timing.
 */
export type EdgeCaseName = "batched" | "single";

export interface EdgeCase {
  name: EdgeCaseName;
  /** For tables: how the records are packed. */
  title: string;
  /** Records per message: an array of this many (msgpack), or one object when 1. */
  recordsPerMessage: number;
  /** This case uses records / divisor of the run's records: per-message cost dominates single records. */
  divisor: number;
  /** Input stream and its one subject. */
  stream: string;
  subject: string;
}

export const EDGE_CASES: readonly EdgeCase[] = [
  {
    name: "batched",
    title: "100 records per message (msgpack array)",
    recordsPerMessage: 100,
    divisor: 1,
    stream: "BENCH_BATCHED",
    subject: "bench.in.batched",
  },
  {
    name: "single",
    title: "1 record per message (msgpack object)",
    recordsPerMessage: 1,
    divisor: 10,
    stream: "BENCH_SINGLE",
    subject: "bench.in.single",
  },
];
