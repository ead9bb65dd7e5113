/**
 * The bounded queue between a pipeline's sources and its loop. Sources that
 * can wait (JetStream pulls, files, the generator) `put` and are held back
 * when it is full; core NATS cannot be held back, so its source `offer`s
 * and counts what does not fit as dropped.
 *
 * A source may first try `deliver`: when nothing is queued ahead, the
 * pipeline decodes the payload into its batch right away (see
 * EdgePipeline), so a message costs no queue entry and no object.
 */

/** What {@link Inbox.deliver} did with a payload. */
export const NOT_TAKEN = 0;
/** In the batch: the source counts it as the newest message the pipeline holds (the one to acknowledge). */
export const TAKEN = 1;
/** A redelivery of a message already in the state: dropped. */
export const SKIPPED = 2;
export type Delivery = typeof NOT_TAKEN | typeof TAKEN | typeof SKIPPED;

/** Acknowledges a message and, for JetStream (AckPolicy.All), every one before it. */
export interface Ack {
  ack(): void;
}

export class Inbox<T> {
  private readonly items: T[] = [];
  private head = 0;
  private waitingTake: (() => void) | null = null;
  private readonly waitingPut: (() => void)[] = [];

  /**
   * Set by the pipeline: decodes the payload `bytes[start, end)` of source
   * `source` straight into its batch. `seq` is its stream position (0:
   * none) and `ack` acknowledges it once a checkpoint holds it.
   */
  direct: ((source: number, bytes: Uint8Array, start: number, end: number, seq: number, ack: Ack | null) => Delivery) | null = null;

  constructor(readonly capacity: number) {}

  /**
   * Hands the payload `bytes[start, end)` to the pipeline without queueing
   * it, when nothing is queued ahead of it (order is kept). NOT_TAKEN: the
   * caller queues the message as an item (the pipeline could not decode it
   * on this lane, or its batch is full).
   */
  deliver(source: number, bytes: Uint8Array, start = 0, end = bytes.length, seq = 0, ack: Ack | null = null): Delivery {
    if (this.direct === null || this.size > 0) return NOT_TAKEN;
    const d = this.direct(source, bytes, start, end, seq, ack);
    if (d !== NOT_TAKEN) this.waitingTake?.();
    return d;
  }

  get size(): number {
    return this.items.length - this.head;
  }

  /** Adds an item, waiting while the inbox is full. */
  async put(item: T): Promise<void> {
    while (this.size >= this.capacity) await new Promise<void>((r) => this.waitingPut.push(r));
    this.push(item);
  }

  /** Adds an item if there is room; returns false (the item is not added) when full. */
  offer(item: T): boolean {
    if (this.size >= this.capacity) return false;
    this.push(item);
    return true;
  }

  /** The next item, or undefined if none arrives within `ms`. */
  async take(ms: number): Promise<T | undefined> {
    if (this.size === 0 && ms > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, ms);
        function done() {
          clearTimeout(t);
          resolve();
        }
        this.waitingTake = done;
      });
      this.waitingTake = null;
    }
    return this.poll();
  }

  /** The next item if one is waiting. */
  poll(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.items[this.head]!;
    this.items[this.head++] = undefined as T;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    this.waitingPut.shift()?.();
    return item;
  }

  /** Wakes a waiting `take` without an item (e.g. to stop). */
  wake(): void {
    this.waitingTake?.();
  }

  private push(item: T): void {
    this.items.push(item);
    this.waitingTake?.();
  }
}
