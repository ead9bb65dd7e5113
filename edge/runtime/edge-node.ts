/**
 * The edge node: one NATS connection, one checkpoint store, and a live
 * pipeline per spec, built from each plan's `source`, `sink`, `late` and
 * `deadLetter` (docs/edge.md).
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { join } from "node:path";
import type { KernelKind, NamedSource, PipelinePlan, SinkSpec } from "../../src/index.js";
import { DirCheckpointStore, KvCheckpointStore, type CheckpointStore } from "../checkpoint/checkpoint-store.js";
import { connectNats, hasJetStream } from "../nats/connection.js";
import { CoreNatsSource } from "../nats/core-source.js";
import { JetStreamSource } from "../nats/jetstream-source.js";
import { ConsoleSink, FileSink } from "../sinks/basic-sinks.js";
import { JetStreamSink, NatsSink } from "../sinks/nats-sinks.js";
import type { OutputSink } from "../sinks/output-sink.js";
import { FileSource, GeneratorSource } from "../sources/bounded-sources.js";
import type { LiveSource } from "../sources/live-source.js";
import { EdgePipeline, loadCheckpoint } from "./edge-pipeline.js";
import type { Logger } from "./log.js";
import { MetricsRegistry } from "./metrics.js";

export interface EdgeNodeOptions {
  plans: PipelinePlan[];
  /** NATS server URL(s), comma-separated; needed when a spec uses NATS. */
  nats?: string;
  /** Checkpoints here when the server has no JetStream (and the leaf server's store). */
  dataDir?: string;
  /** The edge's id: checkpoint keys, default consumer names, the leaf's JetStream domain. */
  name: string;
  kernel?: KernelKind;
  log: Logger;
}

export interface EdgeNode {
  readonly pipelines: EdgePipeline[];
  readonly metrics: MetricsRegistry;
  readonly nc: NatsConnection | null;
  /** Resolves when every pipeline has stopped (after `stop`, or when all their sources ended). */
  readonly done: Promise<void>;
  /** Graceful stop: drain, checkpoint, flush, close. */
  stop(): Promise<void>;
}

function usesNats(plan: PipelinePlan): boolean {
  const sinkUses = (s: SinkSpec | null) => !!(s?.nats || s?.jetstream);
  return plan.sources.some((s) => s.nats || s.jetstream) || sinkUses(plan.sink) || sinkUses(plan.late) || sinkUses(plan.deadLetter);
}

export async function startEdgeNode(o: EdgeNodeOptions): Promise<EdgeNode> {
  const log = o.log;
  const needNats = o.plans.some(usesNats);
  if (needNats && !o.nats) throw new Error("a spec uses NATS: give the server with --nats <url>");
  let nc: NatsConnection | null = null;
  if (o.nats) {
    nc = await connectNats(o.nats, `weir-edge-${o.name}`);
    log.info("connected to NATS", { server: nc.getServer(), version: nc.info?.version });
  }
  let store: CheckpointStore | null = null;
  if (nc && (await hasJetStream(nc))) store = await KvCheckpointStore.open(nc, o.name);
  else if (o.dataDir) store = new DirCheckpointStore(join(o.dataDir, "checkpoints"));
  else log.warn("no checkpoint store (no JetStream and no --data-dir): state is lost on restart");

  const metrics = new MetricsRegistry();
  const pipelines: EdgePipeline[] = [];
  for (const plan of o.plans) {
    const plog = log.child({ pipeline: plan.name });
    const restored = await loadCheckpoint(store, plan);
    if (restored) plog.info("restored checkpoint", { savedAt: restored.savedAt, positions: restored.positions });
    const sources = await Promise.all(plan.sources.map((s) => openSource(s, plan, nc, o.name, restored?.positions ?? {}, plog)));
    if (sources.length === 0) throw new Error(`pipeline ${plan.name}: the spec has no source`);
    const sinks = {
      rows: plan.sink ? await openSink(plan.sink, nc, plog) : new ConsoleSink(),
      late: plan.late ? await openSink(plan.late, nc, plog) : null,
      deadLetter: plan.deadLetter
        ? await openSink(plan.deadLetter, nc, plog)
        : nc
          ? new NatsSink(nc, `weir.dead-letter.${plan.name}`, "json")
          : new FileSink(join(o.dataDir ?? ".", `${plan.name}.dead-letter.jsonl`)),
    };
    pipelines.push(new EdgePipeline({ plan, sources, sinks, store, log: plog, metrics, kernel: o.kernel }, restored));
  }
  const done = Promise.all(pipelines.map((p) => p.run())).then(async () => {
    await nc?.drain().catch(() => undefined);
  });
  return {
    pipelines,
    metrics,
    nc,
    done,
    async stop() {
      for (const p of pipelines) p.stop();
      await done;
    },
  };
}

async function openSource(s: NamedSource, plan: PipelinePlan, nc: NatsConnection | null, edge: string, positions: Record<string, number>, log: Logger): Promise<LiveSource> {
  if (s.jetstream) {
    const j = s.jetstream;
    return JetStreamSource.open(s.name, nc!, {
      stream: j.stream,
      subjects: j.subjects,
      durable: j.durable ?? `weir-${edge}-${plan.name}`.replace(/[^A-Za-z0-9_-]/g, "_"),
      create: j.create ?? false,
      codec: j.codec ?? "json",
      maxInFlight: j.maxInFlight ?? 1000,
      maxAckPending: 200_000,
      startAfter: positions[`jetstream:${j.stream}`] ?? null,
    }, log);
  }
  if (s.nats) return new CoreNatsSource(s.name, nc!, { subject: s.nats.subject, queue: s.nats.queue, codec: s.nats.codec ?? "json", maxPending: s.nats.maxPending ?? 65_536 }, log);
  if (s.file) return new FileSource(s.name, s.file.path, positions[`file:${s.file.path}`] ?? 0);
  const g = s.generator!;
  return new GeneratorSource(s.name, { ...g });
}

async function openSink(s: SinkSpec, nc: NatsConnection | null, log: Logger): Promise<OutputSink> {
  if (s.jetstream) {
    const j = s.jetstream;
    return JetStreamSink.open(nc!, { stream: j.stream, subject: j.subject, codec: j.codec ?? "json", create: j.create ?? false, maxBytes: j.maxBytes, duplicateWindow: j.duplicateWindow }, log);
  }
  if (s.nats) return new NatsSink(nc!, s.nats.subject, s.nats.codec ?? "json");
  if (s.file) return new FileSink(s.file.path);
  return new ConsoleSink();
}
