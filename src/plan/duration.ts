/**
 * Durations in specs: a number of milliseconds, or a string with a unit:
 * `250ms`, `2s`, `1.5m`, `1h`, `1d`, optionally signed (`-15m`, for offsets).
 * Resolved once at spec load; the runtime only sees milliseconds.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^\s*([+-]?)(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/;

/**
 * Parses a duration to whole milliseconds; returns a reason string when it is not one.
 * @example parseDuration("1.5s") // 1500
 */
export function parseDuration(value: unknown): number | string {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) return "must be a whole number of milliseconds";
    return value;
  }
  if (typeof value !== "string") return "must be a duration: milliseconds or a string like 250ms, 2s, 1m, 1h, 1d";
  const m = DURATION.exec(value);
  if (!m) return `"${value}" is not a duration (use a number of ms or 250ms, 2s, 1m, 1h, 1d)`;
  const ms = Number(m[2]) * UNIT_MS[m[3]!]!;
  if (!Number.isSafeInteger(Math.round(ms)) || Math.abs(ms - Math.round(ms)) > 1e-9) {
    return `"${value}" is not a whole number of milliseconds`;
  }
  return m[1] === "-" ? -Math.round(ms) : Math.round(ms);
}

/** Formats milliseconds compactly for logs and summaries (`90000` → `1m30s`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0ms";
  const sign = ms < 0 ? "-" : "";
  let rest = Math.abs(ms);
  let out = "";
  for (const [unit, size] of [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1000], ["ms", 1]] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return sign + out;
}
