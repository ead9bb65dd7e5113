/**
 * The compact msgpack encoding of a window's partial aggregate state: the
 * format of checkpoints and of partials forwarded to a central tier.
 * `[version, [partial of aggregate 0, partial of aggregate 1, ...]]`, each
 * partial as its aggregator's `toPartial` gives it (docs/semantics.md
 * "Aggregates" lists them).
 */
import { pack, unpack } from "msgpackr";
import { StateError } from "../errors.js";
import type { Aggregator } from "./aggregators.js";

export const PARTIAL_STATE_VERSION = 1;

/** Encodes the states of one window (one per aggregator, same order). */
export function encodePartialState(aggs: readonly Aggregator[], states: readonly unknown[]): Uint8Array {
  return encodePartials(aggs.map((a, i) => a.toPartial(states[i])));
}

/** Encodes partials (each aggregator's `toPartial` form) of one window. */
export function encodePartials(partials: readonly unknown[]): Uint8Array {
  return pack([PARTIAL_STATE_VERSION, partials]);
}

/** Decodes bytes written by {@link encodePartialState} for the same aggregates. */
export function decodePartialState(aggs: readonly Aggregator[], bytes: Uint8Array): unknown[] {
  return decodePartials(bytes, aggs.length).map((p, i) => aggs[i]!.fromPartial(p));
}

/** Decodes the partials (`toPartial` forms) of `count` aggregates. */
export function decodePartials(bytes: Uint8Array, count: number): unknown[] {
  let data: unknown;
  try {
    data = unpack(bytes);
  } catch (e) {
    throw new StateError("partial state is not valid msgpack", { cause: e });
  }
  if (!Array.isArray(data) || data[0] !== PARTIAL_STATE_VERSION || !Array.isArray(data[1])) {
    throw new StateError(`partial state is not version ${PARTIAL_STATE_VERSION}`);
  }
  if (data[1].length !== count) {
    throw new StateError(`partial state has ${data[1].length} aggregates, the plan ${count}`);
  }
  return data[1] as unknown[];
}

/** Merges window state `b` into `a` aggregate by aggregate; returns `a`. */
export function mergeStates(aggs: readonly Aggregator[], a: unknown[], b: readonly unknown[]): unknown[] {
  aggs.forEach((agg, i) => agg.merge(a[i], b[i]));
  return a;
}
