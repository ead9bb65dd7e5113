/**
 * Progress and summary lines on stderr for long work. A progress line
 * appears only once a run has taken more than a second, then at most once
 * a second; on a terminal it rewrites itself in place.
 */
export class Progress {
  private readonly started = performance.now();
  private lastPrint = this.started;
  private printed = false;

  constructor(private readonly label: string, private readonly stream: NodeJS.WriteStream = process.stderr) {}

  /** Seconds since start. */
  get elapsed(): number {
    return (performance.now() - this.started) / 1000;
  }

  /** Call often; prints `text()` when a second has passed since the last line. */
  update(text: () => string): void {
    const now = performance.now();
    if (now - this.lastPrint < 1000) return;
    this.lastPrint = now;
    this.printed = true;
    const line = `${this.label}: ${text()}, ${this.elapsed.toFixed(1)} s`;
    if (this.stream.isTTY) this.stream.write(`\r${line}\x1b[K`);
    else this.stream.write(line + "\n");
  }

  /** Ends with a summary line (clearing a progress line on a terminal). */
  done(summary: string): void {
    if (this.printed && this.stream.isTTY) this.stream.write("\r\x1b[K");
    this.stream.write(`${this.label}: ${summary}\n`);
  }
}

/** 1234567 → "1,234,567". */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** 1536 → "1.5 KiB". */
export function bytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB"];
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${u === 0 ? n : n.toFixed(1)} ${units[u]}`;
}
