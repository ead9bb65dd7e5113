/**
 * The ingest benchmark's data: sensor records
 * `{ deviceId, ts, temp, humidity, site }`, one per message, generated from
 * one seed (the benchmark process and the publisher process generate the
 * same sequence independently).
 *
 * - `deviceId`: one of `devices` ids ("dev-04217"), uniformly at random;
 * - `ts`: epoch ms. Every device reports about once per second, so the
 *   stream advances `devices` records per second of event time
 *   (`ts = start + ⌊i · 1000 / devices⌋`); a share `outOfOrder` of the
 *   records is behind by 1..`maxDelay` ms, never more than the pipeline's
 *   2 s bound, so nothing is late;
 * - `temp`: around 20 with two decimals; `humidity`: 30..70 with one
 *   decimal; `site`: one of `sites` names, fixed per device;
 * - the last record lies {@link CLOSING_GAP_MS} after the one before it in
 *   event time: it closes every window holding the others (see
 *   bench/edge/data.ts), so a pipeline has emitted every expected row only
 *   once it has taken in the whole stream.
 *
 * Held as columns in the shape of the edge benchmark's data, so that its
 * {@link expectedOutcome} computes the rows a correct pipeline emits.
 */
import { Packr } from "msgpackr";
import { seededRandom } from "../lib/random.js";
import { CLOSING_GAP_MS, START_TS, type EdgeData, type EdgeDataShape } from "../edge/data.js";

export interface IngestShape extends EdgeDataShape {
  /** Distinct `site` values (each device belongs to one). */
  sites: number;
}

export const FULL_SHAPE: IngestShape = {
  records: 1_000_000,
  devices: 10_000,
  sites: 20,
  outOfOrder: 0.05,
  maxDelay: 2000,
  seed: 20261130,
};

/**
 * Whether messages use msgpackr's record structures. Off: every message is
 * a plain msgpack map, as any msgpack library writes it (weir decodes both).
 */
export const USE_RECORDS = false;

export interface IngestData extends EdgeData {
  shape: IngestShape;
  humidity: Float64Array;
  siteNames: string[];
}

export interface IngestRecord {
  deviceId: string;
  ts: number;
  temp: number;
  humidity: number;
  site: string;
}

export function generateIngestData(shape: IngestShape): IngestData {
  const rnd = seededRandom(shape.seed);
  const n = shape.records;
  const d: IngestData = {
    shape,
    length: n,
    deviceNames: Array.from({ length: shape.devices }, (_, i) => `dev-${String(i).padStart(5, "0")}`),
    siteNames: Array.from({ length: shape.sites }, (_, i) => `site-${String(i).padStart(2, "0")}`),
    device: new Int32Array(n),
    ts: new Float64Array(n),
    temp: new Float64Array(n),
    humidity: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    d.device[i] = Math.floor(rnd() * shape.devices);
    const delay = rnd() < shape.outOfOrder ? 1 + Math.floor(rnd() * shape.maxDelay) : 0;
    d.ts[i] = START_TS + Math.floor((i * 1000) / shape.devices) - delay;
    d.temp[i] = Math.round(100 * (20 + 6 * (rnd() + rnd() - 1))) / 100;
    d.humidity[i] = Math.round(10 * (30 + 40 * rnd())) / 10;
  }
  if (n > 1) d.ts[n - 1] = START_TS + Math.floor(((n - 2) * 1000) / shape.devices) + CLOSING_GAP_MS;
  return d;
}

export function ingestRecordAt(d: IngestData, i: number): IngestRecord {
  const dev = d.device[i]!;
  return { deviceId: d.deviceNames[dev]!, ts: d.ts[i]!, temp: d.temp[i]!, humidity: d.humidity[i]!, site: d.siteNames[dev % d.siteNames.length]! };
}

/** Every record's payload, back to back in one buffer: message i is `bytes[offsets[i] .. offsets[i + 1])`. */
export interface EncodedMessages {
  bytes: Uint8Array;
  offsets: Float64Array;
  count: number;
}

export function encodeMessages(d: IngestData, useRecords = USE_RECORDS): EncodedMessages {
  const packr = new Packr({ useRecords });
  let bytes = new Uint8Array(Math.max(1024, d.length * 96));
  const offsets = new Float64Array(d.length + 1);
  let at = 0;
  for (let i = 0; i < d.length; i++) {
    const p = packr.pack(ingestRecordAt(d, i));
    if (at + p.length > bytes.length) {
      const grown = new Uint8Array(bytes.length * 2);
      grown.set(bytes.subarray(0, at));
      bytes = grown;
    }
    bytes.set(p, at);
    at += p.length;
    offsets[i + 1] = at;
  }
  return { bytes: bytes.subarray(0, at), offsets, count: d.length };
}
