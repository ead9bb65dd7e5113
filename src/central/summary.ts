/**
 * The summary schema edges forward to a central tier (docs/summary-schema.md),
 * version 1. Two message types on the forward subject:
 *
 * - `partial`: one (key, window) of one edge: its aggregates' partial states
 *   and finished values, with the edge's firing number as `revision` (a late
 *   firing or an update sends a new revision, which replaces the old one);
 * - `watermark`: the edge's watermark moved (`final`: its input ended), so
 *   the centre knows which windows an edge will not send again.
 *
 * msgpack is the wire format; JSON renders the same object, with binary
 * fields (HyperLogLog registers) as `{ "base64": "..." }`.
 */
import { pack, unpack } from "msgpackr";
import type { AggregatePlan } from "../plan/plan.js";
import type { Scalar } from "../state/dictionary.js";

export const SUMMARY_VERSION = 1;

/** What an aggregate is, so the centre can check it merges like with like. */
export interface AggregateDescriptor {
  name: string;
  fn: string;
  field: string | null;
  p?: number;
  accuracy?: number;
  precision?: number;
}

export interface PartialSummary {
  v: 1;
  type: "partial";
  edge: string;
  pipeline: string;
  /** Key fields by name. */
  key: Record<string, Scalar>;
  window: { start: number; end: number };
  /** The edge's firing number for this (key, window): 0, then 1, 2, ... for late firings and updates. */
  revision: number;
  /** The edge's watermark when it sent this (null before its first record). */
  watermark: number | null;
  aggregates: AggregateDescriptor[];
  /** Per aggregate, its partial state (docs/summary-schema.md lists each form). */
  partials: unknown[];
  /** The edge's own results for this window (for consumers that do not merge). */
  values: Record<string, number | null>;
}

export interface WatermarkSummary {
  v: 1;
  type: "watermark";
  edge: string;
  pipeline: string;
  watermark: number | null;
  /** The edge's input ended: it will send nothing more (its watermark is +∞). */
  final: boolean;
}

export type Summary = PartialSummary | WatermarkSummary;

export function describeAggregates(aggs: readonly AggregatePlan[]): AggregateDescriptor[] {
  return aggs.map((a) => {
    const d: AggregateDescriptor = { name: a.name, fn: a.fn, field: a.field };
    if (a.p !== undefined) d.p = a.p;
    if (a.accuracy !== undefined) d.accuracy = a.accuracy;
    if (a.precision !== undefined) d.precision = a.precision;
    return d;
  });
}

const encoder = new TextEncoder();

export function encodeSummary(s: Summary, codec: "msgpack" | "json"): Uint8Array {
  return codec === "msgpack" ? pack(s) : encoder.encode(JSON.stringify(s, (_k, v) => (v instanceof Uint8Array ? { base64: Buffer.from(v).toString("base64") } : v)));
}

/** Decodes a summary message (msgpack, or JSON when it starts with `{`); returns why when it is not one. */
export function decodeSummary(data: Uint8Array): Summary | string {
  let v: unknown;
  try {
    if (data[0] === 0x7b) {
      v = JSON.parse(new TextDecoder().decode(data), (_k, x) => (x && typeof x === "object" && typeof x.base64 === "string" && Object.keys(x).length === 1 ? new Uint8Array(Buffer.from(x.base64, "base64")) : x));
    } else {
      v = unpack(data);
    }
  } catch (e) {
    return `not a summary (invalid msgpack or JSON): ${(e as Error).message}`;
  }
  const s = v as Summary;
  if (typeof s !== "object" || s === null) return "not a summary: not an object";
  if (s.v !== SUMMARY_VERSION) return `summary version ${String(s.v)} is not ${SUMMARY_VERSION}`;
  if (typeof s.edge !== "string" || s.edge === "" || typeof s.pipeline !== "string") return "summary lacks edge or pipeline";
  if (s.type === "watermark") return typeof s.watermark === "number" || s.watermark === null ? s : "watermark summary lacks its watermark";
  if (s.type !== "partial") return `unknown summary type ${String((s as { type?: unknown }).type)}`;
  if (typeof s.key !== "object" || s.key === null) return "partial summary lacks its key";
  if (!s.window || typeof s.window.start !== "number" || typeof s.window.end !== "number") return "partial summary lacks its window";
  if (!Number.isInteger(s.revision) || s.revision < 0) return "partial summary lacks its revision";
  if (!Array.isArray(s.partials) || !Array.isArray(s.aggregates)) return "partial summary lacks its partials";
  return s;
}
