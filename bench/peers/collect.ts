/**
 * Receives a contender's result rows on its core NATS subject, in the
 * benchmark's process: every row parsed and kept by device and window, and
 * the moment the last expected row arrived, which stops the clock.
 */
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { rowKey, type Row } from "./expected.js";

const decoder = new TextDecoder();

export class RowCollector {
  readonly rows = new Map<string, Row>();
  /** Rows whose device and window had come before. */
  repeated = 0;
  /** Messages that were not a JSON row. */
  unreadable = 0;
  /** When the row count reached the target (performance.now()), null until then. */
  completedAt: number | null = null;
  /** When the last row arrived (Date.now()), to notice a stall. */
  lastRowAt = Date.now();
  private readonly sub: Subscription;
  private onComplete: () => void = () => {};
  /** Resolves when {@link target} distinct rows have arrived. */
  readonly complete: Promise<void>;

  constructor(
    nc: NatsConnection,
    subject: string,
    readonly target: number,
  ) {
    this.complete = new Promise<void>((r) => (this.onComplete = r));
    this.sub = nc.subscribe(subject, {
      callback: (err, m) => {
        if (err) return;
        let row: Row;
        try {
          row = JSON.parse(decoder.decode(m.data)) as Row;
        } catch {
          this.unreadable++;
          return;
        }
        this.lastRowAt = Date.now();
        const key = rowKey(row.deviceId, row.window_start);
        if (this.rows.has(key)) this.repeated++;
        else this.rows.set(key, row);
        if (this.completedAt === null && this.rows.size >= this.target) {
          this.completedAt = performance.now();
          this.onComplete();
        }
      },
    });
  }

  /** Stops receiving (rows still on their way are dropped). */
  close(): void {
    this.sub.unsubscribe();
  }
}
