/**
 * Appends lines to a file with few system calls: lines collect in memory
 * and go out in ~256 KiB writes. Synchronous on purpose: the replay loop is
 * synchronous per chunk, and rows must land in the order they were made.
 * `lazy` files are created only when the first line arrives.
 */
import { closeSync, openSync, writeSync } from "node:fs";

export class LineWriter {
  private fd: number | null = null;
  private buf: string[] = [];
  private bytes = 0;
  lines = 0;

  /** `append`: add to an existing file instead of truncating it. */
  constructor(readonly path: string, lazy = false, private readonly append = false) {
    if (!lazy) this.fd = openSync(path, append ? "a" : "w");
  }

  write(line: string): void {
    this.buf.push(line);
    this.bytes += line.length + 1;
    this.lines++;
    if (this.bytes >= 1 << 18) this.flush();
  }

  flush(): void {
    if (this.buf.length === 0) return;
    if (this.fd === null) this.fd = openSync(this.path, this.append ? "a" : "w");
    writeSync(this.fd, this.buf.join("\n") + "\n");
    this.buf = [];
    this.bytes = 0;
  }

  close(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** Whether the file exists (a lazy writer that got no line never creates it). */
  get created(): boolean {
    return this.fd !== null || this.lines > 0;
  }
}
