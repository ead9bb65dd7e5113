/**
 * Where a pipeline's checkpoints live: a JetStream KV bucket when the
 * server has JetStream, else files under `--data-dir`. One checkpoint per
 * (edge, pipeline); saving replaces it atomically: a crash mid-save leaves
 * the previous one.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync, existsSync } from "node:fs";
import { join } from "node:path";
import type { KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";

export interface CheckpointStore {
  readonly describe: string;
  load(pipeline: string): Promise<Uint8Array | null>;
  save(pipeline: string, bytes: Uint8Array): Promise<void>;
}

/** `<dir>/<pipeline>.ckpt`, written to a temp file, fsynced, then renamed over the old one. */
export class DirCheckpointStore implements CheckpointStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }
  get describe(): string {
    return `directory ${this.dir}`;
  }
  async load(pipeline: string): Promise<Uint8Array | null> {
    const path = join(this.dir, `${pipeline}.ckpt`);
    return existsSync(path) ? new Uint8Array(readFileSync(path)) : null;
  }
  async save(pipeline: string, bytes: Uint8Array): Promise<void> {
    const path = join(this.dir, `${pipeline}.ckpt`);
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, bytes);
    const fd = openSync(tmp, "r");
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
  }
}

/**
 * A KV bucket (`weir-checkpoints`), key `<edge>.<pipeline>`. A checkpoint
 * larger than what one message may carry is split into parts under
 * `<edge>.<pipeline>.<generation>.<i>`; the head key, written last, names
 * the generation, so a crash mid-save leaves the previous head valid.
 */
export class KvCheckpointStore implements CheckpointStore {
  private generation = 0;
  private constructor(private readonly kv: KV, private readonly edge: string, private readonly partBytes: number) {}

  static async open(nc: NatsConnection, edge: string, bucket = "weir-checkpoints"): Promise<KvCheckpointStore> {
    // loaded here, so that a node without NATS never loads the KV client
    const { Kvm } = await import("@nats-io/kv");
    const kv = await new Kvm(nc).create(bucket, { history: 1 });
    const maxPayload = nc.info?.max_payload ?? 1024 * 1024;
    return new KvCheckpointStore(kv, edge, Math.max(4096, maxPayload - 8192));
  }

  get describe(): string {
    return `JetStream KV weir-checkpoints (${this.edge}.*)`;
  }

  private key(pipeline: string): string {
    return `${this.edge}.${pipeline}`;
  }

  async load(pipeline: string): Promise<Uint8Array | null> {
    const head = await this.kv.get(this.key(pipeline));
    if (!head || head.length === 0 || head.operation !== "PUT") return null;
    const { generation, parts, bytes } = head.json<{ generation: number; parts: number; bytes: number }>();
    this.generation = generation;
    const out = new Uint8Array(bytes);
    let at = 0;
    for (let i = 0; i < parts; i++) {
      const e = await this.kv.get(`${this.key(pipeline)}.${generation}.${i}`);
      if (!e) throw new Error(`checkpoint part ${i} of generation ${generation} is missing`);
      out.set(e.value, at);
      at += e.value.length;
    }
    return out;
  }

  async save(pipeline: string, bytes: Uint8Array): Promise<void> {
    const old = this.generation;
    const generation = old + 1;
    const parts = Math.max(1, Math.ceil(bytes.length / this.partBytes));
    for (let i = 0; i < parts; i++) {
      await this.kv.put(`${this.key(pipeline)}.${generation}.${i}`, bytes.subarray(i * this.partBytes, (i + 1) * this.partBytes));
    }
    await this.kv.put(this.key(pipeline), JSON.stringify({ generation, parts, bytes: bytes.length }));
    this.generation = generation;
    if (old > 0) {
      for (let i = 0; ; i++) {
        const k = `${this.key(pipeline)}.${old}.${i}`;
        if (!(await this.kv.get(k))) break;
        await this.kv.purge(k);
      }
    }
  }
}

/** Checkpoints in memory: what a node without JetStream or --data-dir uses, so replacing a pipeline or switching its mode keeps state (a restart does not). */
export class MemoryCheckpointStore implements CheckpointStore {
  readonly describe = "memory (lost on restart)";
  private readonly saved = new Map<string, Uint8Array>();
  async load(pipeline: string): Promise<Uint8Array | null> {
    return this.saved.get(pipeline) ?? null;
  }
  async save(pipeline: string, bytes: Uint8Array): Promise<void> {
    this.saved.set(pipeline, bytes);
  }
}
