/** Sources that end: a JSON-lines file, and the generator (when given a record count). */
import type { GeneratorOptions } from "./generator-source.js";
import { generatorSource } from "./generator-source.js";
import { readLines } from "./line-reader.js";
import type { Inbox } from "../runtime/inbox.js";
import type { LiveSource, SourceItem, SourceStats } from "./live-source.js";

/**
 * JSON lines from a file. Its position is a line number, so a restart after
 * a checkpoint reads on after the lines already in the state.
 */
export class FileSource implements LiveSource {
  readonly codec = "json" as const;
  readonly replayable = true;
  private stopped = false;
  constructor(readonly name: string, private readonly path: string, private readonly startAfter = 0) {}
  get id(): string {
    return `file:${this.path}`;
  }
  get describe(): string {
    return `file ${this.path}`;
  }
  async start(inbox: Inbox<SourceItem>, index: number): Promise<void> {
    for await (const g of readLines(this.path)) {
      if (this.stopped) return;
      const last = g.firstLine + g.lines.length - 1;
      if (last <= this.startAfter) continue;
      const skip = Math.max(0, this.startAfter - g.firstLine + 1);
      await inbox.put({ source: index, lines: g.lines.slice(skip), firstLine: g.firstLine + skip, seq: last });
    }
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
  stats(): SourceStats {
    return { dropped: 0, slowConsumer: 0 };
  }
}

export class GeneratorSource implements LiveSource {
  readonly codec = "json" as const;
  readonly replayable = false;
  private readonly abort = new AbortController();
  constructor(readonly name: string, private readonly opts: GeneratorOptions) {}
  readonly id = "generator";
  get describe(): string {
    return `generator (${this.opts.sensors ?? 8} sensors, ${this.opts.rate ?? 200}/s)`;
  }
  async start(inbox: Inbox<SourceItem>, index: number): Promise<void> {
    for await (const records of generatorSource(this.opts, this.abort.signal)) await inbox.put({ source: index, records });
    if (this.opts.records === undefined) await new Promise<void>(() => {}); // runs until stopped
  }
  async stop(): Promise<void> {
    this.abort.abort();
  }
  stats(): SourceStats {
    return { dropped: 0, slowConsumer: 0 };
  }
}
