/**
 * Where a live pipeline's rows, late records and dead letters go: a NATS
 * subject, a JetStream stream (deduplicated by message id), a JSON-lines
 * file or the console. `write` queues; `flush` resolves once everything
 * written is durable where the sink can tell (JetStream acks, file writes),
 * which is what a checkpoint waits for.
 */
export interface OutMessage {
  /** The row or record (file and console sinks, and NATS sinks without `data`). */
  value: unknown;
  /** Bytes to send as they are (a dead letter's original payload). */
  data?: Uint8Array;
  /** Deterministic id: the JetStream sink sends it as Nats-Msg-Id ("" for rows to a sink without `keepsIds`). */
  id: string;
  /** NATS sinks: publish to this subject instead of the sink's own (forwarding partitions). */
  subject?: string;
  headers?: Record<string, string>;
}

export interface OutputSink {
  readonly describe: string;
  /** Whether the sink uses message ids (JetStream: deduplication); rows for other sinks are not given one. */
  readonly keepsIds?: boolean;
  /** Queues a message; a returned promise asks the caller to wait (the sink is full). */
  write(m: OutMessage): Promise<void> | void;
  /**
   * Optional: queues a row given as its JSON text, for sinks that write
   * JSON rows without ids and never ask the caller to wait (a pipeline then
   * makes no row object for them).
   */
  writeText?(text: string): void;
  /** Everything written so far is delivered (retrying as long as it takes, until `close`). */
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Bytes held by the sink's stream (the store-and-forward backlog), when it has one. */
  backlogBytes?(): Promise<number | null>;
}
