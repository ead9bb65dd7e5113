/**
 * The edge benchmark's data: sensor records `{ deviceId, ts, temp }`,
 * generated once per case from one seed (a case with fewer records gets a
 * prefix of the same sequence).
 *
 * - `deviceId`: one of `devices` ids ("dev-04217"), uniformly at random;
 * - `ts`: epoch ms, the record's index + a start time (1 ms per record);
 *   a share `outOfOrder` of the records is behind by 1..`maxDelay` ms. With
 *   the pipeline's 2 s bound no record is ever behind the watermark, so
 *   nothing is late and every record counts;
 * - `temp`: a reading with two decimals around 20 (a sum of two uniforms);
 * - the last record is {@link CLOSING_GAP_MS} after the one before it: its
 *   event time moves the watermark past every window that holds the other
 *   records, so they all fire. A pipeline has then emitted a row for every
 *   other record only once it has taken in the very last one, which lets the
 *   benchmark stop the clock on the sink's contents. (Without it the records
 *   of the still open last windows, up to 10% of a 100 s stream, would not
 *   need to be read before the clock stops.)
 *
 * Held as columns; record objects are built only to encode messages.
 */
import { seededRandom } from "../lib/random.js";

export interface EdgeDataShape {
  records: number;
  devices: number;
  /** Share of records that arrive behind the largest time seen. */
  outOfOrder: number;
  /** Largest delay of such a record, ms. */
  maxDelay: number;
  seed: number;
}

export const FULL_SHAPE: EdgeDataShape = {
  records: 1_000_000,
  devices: 10_000,
  outOfOrder: 0.05,
  maxDelay: 2000,
  seed: 20261201,
};

/** 2025-01-01T00:00:00Z: positive and a multiple of the window size. */
export const START_TS = Date.UTC(2025, 0, 1);

/** How far the last record jumps ahead in event time (more than a window + the bound). */
export const CLOSING_GAP_MS = 20_000;

/** The pipeline's window and watermark bound (the spec weir-edge runs says the same). */
export const WINDOW_MS = 10_000;
export const MAX_OUT_OF_ORDERNESS_MS = 2000;

export interface EdgeData {
  shape: EdgeDataShape;
  length: number;
  deviceNames: string[];
  device: Int32Array;
  ts: Float64Array;
  temp: Float64Array;
}

export interface SensorRecord {
  deviceId: string;
  ts: number;
  temp: number;
}

export function generateEdgeData(shape: EdgeDataShape): EdgeData {
  const rnd = seededRandom(shape.seed);
  const n = shape.records;
  const d: EdgeData = {
    shape,
    length: n,
    deviceNames: Array.from({ length: shape.devices }, (_, i) => `dev-${String(i).padStart(5, "0")}`),
    device: new Int32Array(n),
    ts: new Float64Array(n),
    temp: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    d.device[i] = Math.floor(rnd() * shape.devices);
    const delay = rnd() < shape.outOfOrder ? 1 + Math.floor(rnd() * shape.maxDelay) : 0;
    d.ts[i] = START_TS + i - delay;
    d.temp[i] = Math.round(100 * (20 + 6 * (rnd() + rnd() - 1))) / 100;
  }
  if (n > 0) d.ts[n - 1] = START_TS + n - 2 + CLOSING_GAP_MS;
  return d;
}

export function recordAt(d: EdgeData, i: number): SensorRecord {
  return { deviceId: d.deviceNames[d.device[i]!]!, ts: d.ts[i]!, temp: d.temp[i]! };
}

/**
 * What a correct pipeline has emitted once it has seen every record and
 * no more arrive: with the watermark W = max ts − 2 s − 1, a window
 * [s, s + 10 s) has fired iff s + 10 s − 1 ≤ W. One row per device and
 * fired window; Σn counts the records in fired windows.
 */
export interface ExpectedOutcome {
  /** Result rows (device × fired window). */
  rows: number;
  /** Σ n over those rows: records in fired windows. */
  sumN: number;
  /** Σ max_temp and Σ avg_temp over those rows. */
  sumMax: number;
  sumAvg: number;
  /** Windows that fired (device-independent). */
  windows: number;
}

export function expectedOutcome(d: EdgeData): ExpectedOutcome {
  let minTs = Infinity;
  let maxTs = -Infinity;
  for (let i = 0; i < d.length; i++) {
    const t = d.ts[i]!;
    if (t < minTs) minTs = t;
    if (t > maxTs) maxTs = t;
  }
  const w = maxTs - MAX_OUT_OF_ORDERNESS_MS - 1;
  const first = Math.floor(minTs / WINDOW_MS);
  // windows first..lastFired have fired
  const lastFired = Math.floor((w + 1) / WINDOW_MS) - 1;
  const windows = Math.max(0, lastFired - first + 1);
  const devices = d.shape.devices;
  const count = new Int32Array(windows * devices);
  const sum = new Float64Array(windows * devices);
  const max = new Float64Array(windows * devices).fill(-Infinity);
  for (let i = 0; i < d.length; i++) {
    const win = Math.floor(d.ts[i]! / WINDOW_MS) - first;
    if (win >= windows) continue;
    const cell = win * devices + d.device[i]!;
    count[cell]!++;
    sum[cell]! += d.temp[i]!;
    if (d.temp[i]! > max[cell]!) max[cell] = d.temp[i]!;
  }
  const out: ExpectedOutcome = { rows: 0, sumN: 0, sumMax: 0, sumAvg: 0, windows };
  for (let c = 0; c < count.length; c++) {
    if (count[c] === 0) continue;
    out.rows++;
    out.sumN += count[c]!;
    out.sumMax += max[c]!;
    out.sumAvg += sum[c]! / count[c]!;
  }
  return out;
}
