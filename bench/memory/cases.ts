/**
 * What the memory benchmark loads into `weir edge`: two pipelines, each fed
 * one record per key over `POST /ingest/<pipeline>`, every record inside the
 * same 1-minute tumbling window, so that each key holds exactly one open
 * (key, window) and nothing fires.
 */
import { Packr } from "msgpackr";

export type MemoryCaseName = "scalar" | "sketches";

export interface MemoryCase {
  name: MemoryCaseName;
  title: string;
  aggregate: Record<string, string>;
  /** Whether records carry the `user` field (read by approx_count_distinct). */
  users: boolean;
}

const SCALAR: Record<string, string> = {
  n: "count()",
  sum_temp: "sum(temp)",
  min_temp: "min(temp)",
  max_temp: "max(temp)",
  avg_temp: "avg(temp)",
};

export const MEMORY_CASES: readonly MemoryCase[] = [
  { name: "scalar", title: "count(), sum, min, max, avg of temp", aggregate: SCALAR, users: false },
  {
    name: "sketches",
    title: "the same + quantile(temp, 0.95), approx_count_distinct(user)",
    aggregate: { ...SCALAR, p95_temp: "quantile(temp, 0.95)", users: "approx_count_distinct(user)" },
    users: true,
  },
];

/** Start of the one window every record falls in (a whole minute, UTC). */
export const WINDOW_START = Date.UTC(2026, 0, 1, 12, 0, 0);
/** Every record's event time: the middle of that window. The watermark (ts − 5 s) stays short of its end. */
export const RECORD_TS = WINDOW_START + 30_000;
/** Distinct values of `user` over all records. */
export const USERS = 1000;
/** Keys are dev-000000 ... dev-999999: six digits hold the largest level, 1M keys. */
export const KEY_DIGITS = 6;
/**
 * Checkpoints never run while the benchmark measures: without NATS or
 * --data-dir a node keeps its last checkpoint in its own memory (a second,
 * encoded copy of the state), which would be counted as well.
 */
export const CHECKPOINT_INTERVAL = "1h";
export const MAX_OUT_OF_ORDERNESS = "5s";

export const pipelineName = (c: MemoryCase) => `memory-${c.name}`;
export const keyOf = (i: number) => `dev-${String(i).padStart(KEY_DIGITS, "0")}`;

/** The spec of a case's pipeline (JSON, which the YAML loader reads too). */
export function memorySpec(c: MemoryCase): object {
  return {
    name: pipelineName(c),
    mode: "continuous",
    time: { field: "ts", maxOutOfOrderness: MAX_OUT_OF_ORDERNESS },
    key: "deviceId",
    window: { tumbling: "1m" },
    aggregate: c.aggregate,
    source: { http: {} },
    sink: { console: {} },
    checkpoint: { interval: CHECKPOINT_INTERVAL },
  };
}

interface SensorRecord {
  deviceId: string;
  ts: number;
  temp: number;
  user?: string;
}

/** The record of key number i (the same on every run). */
export function recordOf(c: MemoryCase, i: number): SensorRecord {
  const r: SensorRecord = { deviceId: keyOf(i), ts: RECORD_TS, temp: 15 + ((i * 7919) % 200) / 10 };
  if (c.users) r.user = `user-${(i * 31) % USERS}`;
  return r;
}

const packr = new Packr({ useRecords: false });

/** Records of keys [from, to) as one msgpack array (plain maps, as any msgpack sender writes them). */
export function packRecords(c: MemoryCase, from: number, to: number): Uint8Array {
  const list: SensorRecord[] = [];
  for (let i = from; i < to; i++) list.push(recordOf(c, i));
  return packr.pack(list);
}
