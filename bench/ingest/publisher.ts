/**
 * The benchmark's side of the publisher process (publisher-child.ts): starts
 * it, waits until it has encoded its messages and listens, and asks it to
 * publish the whole data set to a subject, at full speed.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { WeirError } from "../../src/index.js";
import { describeExit, spawnChild, type Child } from "../edge/child.js";
import type { IngestShape } from "./data.js";

export interface PublisherConfig {
  url: string;
  goSubject: string;
  shape: IngestShape;
  useRecords: boolean;
  /** Subjects it may be asked to send to (their protocol is laid out up front). */
  subjects: string[];
}

export interface PublisherReport {
  messages: number;
  /** Payload bytes (msgpack), not counting the protocol around them. */
  bytes: number;
  seconds: number;
}

export const READY_PREFIX = "publisher ready ";

const GO_SUBJECT = "bench.ingest.publisher.go";
/** Generating and encoding the data before "ready". */
const READY_LIMIT_MS = 120_000;
/** One publishing of the whole data set. */
const PUBLISH_LIMIT_MS = 180_000;
/** The process, whatever happens: longer than the whole benchmark. */
const PROCESS_LIMIT_MS = 15 * 60_000;

export interface Publishing {
  /** performance.now() when the request to publish was sent. */
  started: number;
  done: Promise<PublisherReport>;
}

export class CorePublisher {
  private constructor(
    private readonly child: Child,
    /** Messages and bytes it holds, encoded. */
    readonly messages: number,
    readonly bytes: number,
  ) {}

  static async start(url: string, shape: IngestShape, useRecords: boolean, subjects: string[]): Promise<CorePublisher> {
    const cfg: PublisherConfig = { url, goSubject: GO_SUBJECT, shape, useRecords, subjects };
    const script = join(dirname(fileURLToPath(import.meta.url)), "publisher-child.js");
    let onReady: (line: string) => void = () => {};
    const ready = new Promise<string>((r) => (onReady = r));
    const child = spawnChild(process.execPath, [script, JSON.stringify(cfg)], {
      timeoutMs: PROCESS_LIMIT_MS,
      onLine: (line) => {
        if (line.startsWith(READY_PREFIX)) onReady(line.slice(READY_PREFIX.length));
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      ready,
      child.exited.then((s) => new WeirError("BENCH_SETUP", `publisher exited before it was ready (${describeExit(s)}):\n${child.tail()}`)),
      new Promise<WeirError>((r) => (timer = setTimeout(() => r(new WeirError("BENCH_SETUP", `publisher not ready after ${READY_LIMIT_MS / 1000} s:\n${child.tail()}`)), READY_LIMIT_MS))),
    ]);
    clearTimeout(timer);
    if (outcome instanceof WeirError) {
      await child.stop(2000);
      throw outcome;
    }
    const info = JSON.parse(outcome) as { messages: number; bytes: number };
    return new CorePublisher(child, info.messages, info.bytes);
  }

  /** Asks the publisher to send every message to `subject`, at full speed. */
  publish(nc: NatsConnection, subject: string): Publishing {
    const started = performance.now();
    const done = nc
      .request(GO_SUBJECT, JSON.stringify({ subject }), { timeout: PUBLISH_LIMIT_MS })
      .then((m) => {
        const r = JSON.parse(new TextDecoder().decode(m.data)) as PublisherReport & { error?: string };
        if (r.error) throw new Error(r.error);
        return r;
      })
      .catch((e: Error) => {
        throw new WeirError("BENCH_CHILD", `publisher did not finish (${e.message}):\n${this.child.tail()}`);
      });
    return { started, done };
  }

  async stop(): Promise<void> {
    await this.child.stop(5000);
  }
}
