/**
 * The rows every contender must emit, computed from the data: one per
 * device and closed window ([s, s + 10 s) is closed iff s + 10 s − 1 ≤ W,
 * W = max ts − 2 s − 1 after the last record), with its count, average and
 * maximum, and how a contender's rows compare with them.
 */
import { MAX_OUT_OF_ORDERNESS_MS, WINDOW_MS, type EdgeData } from "../edge/data.js";

export interface Cell {
  n: number;
  sum: number;
  max: number;
}

export interface ExpectedRows {
  /** `${deviceId}|${window_start}` → the window's totals. */
  cells: Map<string, Cell>;
  rows: number;
  sumN: number;
  /** Closed windows (device-independent). */
  windows: number;
}

export const rowKey = (deviceId: string, windowStart: number): string => `${deviceId}|${windowStart}`;

const windowStart = (ts: number): number => ts - (((ts % WINDOW_MS) + WINDOW_MS) % WINDOW_MS);

export function expectedRows(d: EdgeData): ExpectedRows {
  let maxTs = -Infinity;
  for (let i = 0; i < d.length; i++) if (d.ts[i]! > maxTs) maxTs = d.ts[i]!;
  const w = maxTs - MAX_OUT_OF_ORDERNESS_MS - 1;
  const cells = new Map<string, Cell>();
  const windows = new Set<number>();
  let sumN = 0;
  for (let i = 0; i < d.length; i++) {
    const s = windowStart(d.ts[i]!);
    if (s + WINDOW_MS - 1 > w) continue;
    windows.add(s);
    const key = rowKey(d.deviceNames[d.device[i]!]!, s);
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { n: 0, sum: 0, max: -Infinity }));
    const t = d.temp[i]!;
    c.n++;
    c.sum += t;
    if (t > c.max) c.max = t;
    sumN++;
  }
  return { cells, rows: cells.size, sumN, windows: windows.size };
}

/** A result row as the contenders publish it (weir's column names). */
export interface Row {
  deviceId: string;
  window_start: number;
  window_end: number;
  n: number;
  avg_temp: number;
  max_temp: number;
}

/** Relative tolerance of averages computed with sums in different orders. */
export const AVG_RELATIVE = 1e-9;

export interface RowComparison {
  /** Rows that match the expected row of their device and window (n and max exact, avg within {@link AVG_RELATIVE}). */
  equal: number;
  /** Σ n over the rows received. */
  sumN: number;
  /** At most a few descriptions of what differs; empty when every row matches and none is missing or repeated. */
  problems: string[];
}

/** Compares the rows received (keyed like {@link rowKey}, `repeated` counting rows that came twice) with the expected ones. */
export function compareRows(got: ReadonlyMap<string, Row>, repeated: number, want: ExpectedRows): RowComparison {
  const problems: string[] = [];
  const note = (p: string) => {
    if (problems.length < 5) problems.push(p);
  };
  let equal = 0;
  let sumN = 0;
  let missing = 0;
  for (const [key, row] of got) {
    sumN += row.n;
    const c = want.cells.get(key);
    if (!c) {
      note(`unexpected row ${key} (n ${row.n})`);
      continue;
    }
    const avg = c.sum / c.n;
    const avgOk = row.avg_temp === avg || Math.abs(row.avg_temp - avg) <= AVG_RELATIVE * Math.max(Math.abs(avg), Math.abs(row.avg_temp));
    if (row.n !== c.n || row.max_temp !== c.max || !avgOk || row.window_end !== row.window_start + WINDOW_MS) {
      note(`row ${key}: n ${row.n}, avg ${row.avg_temp}, max ${row.max_temp}, end ${row.window_end}; expected n ${c.n}, avg ${avg}, max ${c.max}`);
    } else equal++;
  }
  for (const key of want.cells.keys()) if (!got.has(key)) missing++;
  if (missing > 0) note(`${missing} expected rows missing`);
  if (repeated > 0) note(`${repeated} rows received more than once`);
  if (problems.length === 0 && (equal !== want.rows || sumN !== want.sumN)) note(`${equal} equal rows with Σ n ${sumN}, expected ${want.rows} with Σ n ${want.sumN}`);
  return { equal, sumN, problems };
}
