/**
 * Records posted to `POST /ingest/<pipeline>`. The HTTP handler waits
 * until the pipeline has decoded them (held back while its inbox is full),
 * then answers with the records that were dead-lettered and why.
 */
import type { Inbox } from "../runtime/inbox.js";
import type { LiveSource, SourceItem, SourceStats } from "./live-source.js";

export interface IngestProblem {
  index: number;
  reason: string;
}

export class HttpSource implements LiveSource {
  readonly codec = "json" as const;
  readonly replayable = false;
  readonly id = "http";
  readonly describe = "http POST /ingest";
  private inbox: Inbox<SourceItem> | null = null;
  private index = 0;
  private stopped = false;

  constructor(readonly name: string) {}

  async start(inbox: Inbox<SourceItem>, index: number): Promise<void> {
    this.inbox = inbox;
    this.index = index;
    await new Promise<void>(() => {}); // unbounded: ends with the pipeline
  }

  /** Hands records to the pipeline; resolves with the ones it could not use. */
  ingest(records: readonly unknown[]): Promise<IngestProblem[]> {
    if (!this.inbox || this.stopped) return Promise.reject(new Error("the pipeline is not running"));
    const inbox = this.inbox;
    return new Promise<IngestProblem[]>((resolve, reject) => {
      inbox.put({ source: this.index, records, done: resolve }).catch(reject);
    });
  }

  /** JSON text lines (NDJSON): a line that is not JSON is dead-lettered like a bad record. */
  ingestLines(lines: readonly string[]): Promise<IngestProblem[]> {
    if (!this.inbox || this.stopped) return Promise.reject(new Error("the pipeline is not running"));
    const inbox = this.inbox;
    return new Promise<IngestProblem[]>((resolve, reject) => {
      inbox.put({ source: this.index, lines, firstLine: 0, done: resolve }).catch(reject);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }

  stats(): SourceStats {
    return { dropped: 0, slowConsumer: 0 };
  }
}
