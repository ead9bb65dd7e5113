/**
 * Horizontal bar charts as standalone SVG, drawn by the benchmarks
 * themselves (no external service): one chart per benchmark in
 * `docs/img/bench-<name>.svg`, linked from its section of docs/benchmarks.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { repoRoot } from "./paths.js";

export interface Bar {
  label: string;
  value: number;
  /** Text after the bar (default: the value). */
  note?: string;
  /** Bars of one group share a colour (e.g. one per case). */
  group?: string;
}

export interface BarChart {
  title: string;
  /** What the values are, e.g. "records/s" or "× the bare consumer". */
  unit: string;
  bars: Bar[];
  /** A vertical reference line (e.g. a target ratio). */
  reference?: { value: number; label: string };
}

const COLORS = ["#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#c62828"];

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function renderBarChart(c: BarChart): string {
  const rowH = 22;
  const labelW = 260;
  const barW = 420;
  const noteW = 120;
  const top = 40;
  const width = labelW + barW + noteW + 20;
  const height = top + c.bars.length * rowH + 30;
  const max = Math.max(1e-12, ...c.bars.map((b) => b.value), c.reference?.value ?? 0);
  const groups = [...new Set(c.bars.map((b) => b.group ?? ""))];
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`);
  out.push(`<rect width="100%" height="100%" fill="#fff"/>`);
  out.push(`<text x="10" y="20" font-size="14" font-weight="600">${esc(c.title)}</text>`);
  out.push(`<text x="${labelW}" y="34" fill="#555">${esc(c.unit)}</text>`);
  c.bars.forEach((b, i) => {
    const y = top + i * rowH;
    const w = Math.max(1, (b.value / max) * barW);
    const color = COLORS[groups.indexOf(b.group ?? "") % COLORS.length];
    out.push(`<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(b.label)}</text>`);
    out.push(`<rect x="${labelW}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${color}"/>`);
    out.push(`<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 15}" fill="#333">${esc(b.note ?? String(b.value))}</text>`);
  });
  if (c.reference) {
    const x = labelW + (c.reference.value / max) * barW;
    const y2 = top + c.bars.length * rowH;
    out.push(`<line x1="${x.toFixed(1)}" y1="${top}" x2="${x.toFixed(1)}" y2="${y2}" stroke="#c62828" stroke-dasharray="4 3"/>`);
    out.push(`<text x="${x.toFixed(1)}" y="${y2 + 16}" fill="#c62828" text-anchor="middle">${esc(c.reference.label)}</text>`);
  }
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}

/** Writes `docs/img/bench-<name>.svg` and returns the Markdown that shows it from docs/benchmarks.md. */
export function writeChart(name: string, chart: BarChart): string {
  const file = join(repoRoot(), "docs", "img", `bench-${name}.svg`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, renderBarChart(chart));
  return `![${chart.title}](img/bench-${name}.svg)`;
}
