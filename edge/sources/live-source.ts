/**
 * What a live source hands the pipeline loop, through its bounded inbox.
 */
import type { Codec } from "../codec/payload.js";
import type { Ack, Inbox } from "../runtime/inbox.js";

export interface SourceItem {
  /** Index of the source in the pipeline. */
  source: number;
  /** A message's payload (NATS): one record or an array of records. */
  data?: Uint8Array;
  /** Records already decoded (generator). */
  records?: readonly unknown[];
  /** JSON text lines (file), numbered from `firstLine`. */
  lines?: readonly string[];
  firstLine?: number;
  /** The NATS message, read only for a dead letter's subject (nats.js decodes subjects when asked). */
  msg?: { readonly subject: string };
  /** Position of the item's last record: JetStream stream sequence, file line number. */
  seq?: number;
  /** JetStream: its ack() acknowledges this message and every one before it (the message itself: no closure per message). */
  ack?: Ack;
  /** Called once the item is decoded, with the records (by index) that were dead-lettered. */
  done?: (problems: { index: number; reason: string }[]) => void;
}

export interface SourceStats {
  /** Messages lost because the pipeline could not keep up (core NATS only). */
  dropped: number;
  /** Slow-consumer events reported by the NATS client. */
  slowConsumer: number;
}

export interface LiveSource {
  /** The input name (its own watermark when the pipeline has several). */
  readonly name: string;
  readonly codec: Codec;
  readonly describe: string;
  /** Stable identity of what is read (`jetstream:<stream>`): the key of its checkpointed position. */
  readonly id: string;
  /** Whether it can be read again from a position (JetStream, file): its position is checkpointed. */
  readonly replayable: boolean;
  /** Resolves once the source is listening (a core NATS subscription is registered with the server). */
  ready?(): Promise<void>;
  /** Starts feeding `inbox`; the promise settles when a bounded source has sent everything. */
  start(inbox: Inbox<SourceItem>, index: number): Promise<void>;
  /** Stops reading (messages not yet handed over are redelivered later where the source can). */
  stop(): Promise<void>;
  /** Releases what the source still held for its acknowledgements, after the pipeline's last checkpoint (or its failure). */
  close?(): Promise<void>;
  stats(): SourceStats;
}
