/**
 * Window assignment for event-time windows (docs/semantics.md "Time and
 * windows"). Windows are aligned to the epoch plus an offset, start
 * inclusive, end exclusive; `maxTimestamp = end - 1` is the last instant a
 * window covers, and the watermark W completes it once `W >= end - 1`.
 */

/** floor-mod: the result has the sign of the divisor, so negative times align like positive ones. */
export function floorMod(x: number, m: number): number {
  const r = x % m;
  return r < 0 ? r + m : r;
}

/**
 * Start of the latest window (of a tumbling or sliding assigner) holding ts:
 * `ts - floorMod(ts - offset, slide)`. The record belongs to the windows
 * starting there and every `slide` earlier while `start > ts - size`.
 * @example lastWindowStart(-1, 0, 10) // -10: window [-10, 0)
 */
export function lastWindowStart(ts: number, offset: number, slide: number): number {
  return ts - floorMod(ts - offset, slide);
}

/** Whether a (record, window) pair is dropped as late: `end - 1 + L <= W`. */
export function isLate(end: number, allowedLateness: number, wm: number): boolean {
  return end - 1 + allowedLateness <= wm;
}

/** Whether the watermark has completed a window: `W >= end - 1`. */
export function isComplete(end: number, wm: number): boolean {
  return end - 1 <= wm;
}
