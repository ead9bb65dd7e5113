/**
 * Event time: int64 epoch milliseconds, carried as a JS number (exact up to
 * 2^53). Records give it as a number or an ISO-8601 string; a string without
 * a zone is read as UTC so that a replay means the same on every machine.
 */
const ISO = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * Converts a record's time value to epoch ms, or returns NaN when it is not
 * a whole number of ms nor an ISO-8601 date-time.
 * @example toEventTime("1970-01-01T00:00:01.5Z") // 1500
 */
export function toEventTime(v: unknown): number {
  if (typeof v === "number") return Number.isSafeInteger(v) ? v : NaN;
  if (typeof v !== "string") return NaN;
  const m = ISO.exec(v);
  if (!m) return NaN;
  let zone = m[3] ?? "Z";
  if (zone.length === 3) zone += ":00";
  else if (zone.length === 5) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const time = m[2] ? m[2].replace(",", ".") : "00:00";
  const ms = Date.parse(`${m[1]}T${time}${zone === "z" ? "Z" : zone}`);
  return Number.isFinite(ms) ? ms : NaN;
}

/** Reason text for a time value that {@link toEventTime} rejects. */
export function eventTimeProblem(field: string, v: unknown): string {
  if (v === undefined || v === null) return `missing time field '${field}'`;
  return `time field '${field}' must be whole epoch milliseconds or an ISO-8601 date-time, got ${typeof v === "bigint" ? v : JSON.stringify(v)}`;
}
