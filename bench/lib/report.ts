/** Number formats and tables shared by benchmark reports (stdout text and docs markdown). */

/** 12_345_678 → "12.3 M", 950_000 → "950 k". */
export function si(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toPrecision(3)} G`;
  if (n >= 1e6) return `${(n / 1e6).toPrecision(3)} M`;
  if (n >= 1e3) return `${(n / 1e3).toPrecision(3)} k`;
  return n.toPrecision(3);
}

/** 1234567 → "1,234,567". */
export function int(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** How many times faster `a` is than `b`: "3.2×", or "—" when either is missing. */
export function ratio(a: number | null | undefined, b: number | null | undefined): string {
  if (a == null || b == null || b === 0) return "—";
  const r = a / b;
  return `${r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r.toFixed(2)}×`;
}

export type Align = "l" | "r";

/** A GitHub markdown table. */
export function markdownTable(head: string[], rows: string[][], align: Align[] = []): string {
  const rule = head.map((_, i) => (align[i] === "r" ? "---:" : "---"));
  return [head, rule, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

/** A plain-text table with padded columns, for the terminal. */
export function textTable(head: string[], rows: string[][], align: Align[] = []): string {
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    r.map((c, i) => (align[i] === "r" ? c.padStart(width[i]!) : c.padEnd(width[i]!))).join("  ").trimEnd();
  return [line(head), line(width.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
