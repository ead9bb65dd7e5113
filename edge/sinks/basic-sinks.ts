/** The sinks that need no server: a JSON-lines file and the console. */
import { LineWriter } from "./line-writer.js";
import type { OutMessage, OutputSink } from "./output-sink.js";

/** JSON lines appended to a file (created when the first line comes; never truncated: a restart goes on). */
export class FileSink implements OutputSink {
  private readonly out: LineWriter;
  constructor(readonly path: string) {
    this.out = new LineWriter(path, true, true);
  }
  get describe(): string {
    return `file ${this.path}`;
  }
  write(m: OutMessage): void {
    this.out.write(JSON.stringify(m.value));
  }
  async flush(): Promise<void> {
    this.out.flush();
  }
  async close(): Promise<void> {
    this.out.close();
  }
}

/** One JSON line per message on stdout. */
export class ConsoleSink implements OutputSink {
  readonly describe = "console";
  write(m: OutMessage): void {
    process.stdout.write(JSON.stringify(m.value) + "\n");
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}
