/**
 * The edge node: one NATS connection, one checkpoint store, and a live
 * pipeline per spec, built from each plan's `source`, `sink`, `late` and
 * `deadLetter` (docs/edge.md).
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { SpecError, UsageError, type ForwardSpec, type KernelKind, type Mode, type NamedSource, type PipelinePlan, type SinkSpec } from "../../src/runtime.js";
import { DirCheckpointStore, KvCheckpointStore, MemoryCheckpointStore, type CheckpointStore } from "../checkpoint/checkpoint-store.js";
import { CoreNatsSource } from "../nats/core-source.js";
import { openOwnConnection } from "../nats/wire-connection.js";
import { ConsoleSink, FileSink } from "../sinks/basic-sinks.js";
import type { OutputSink } from "../sinks/output-sink.js";
import { FileSource, GeneratorSource } from "../sources/bounded-sources.js";
import { HttpSource } from "../sources/http-source.js";
import type { LiveSource } from "../sources/live-source.js";
import { EdgePipeline, loadCheckpoint, MAX_UNACKED } from "./edge-pipeline.js";
import { Forwarder } from "./forwarder.js";
import { planOf, resolveApart } from "./load-specs.js";
import type { Logger } from "./log.js";
import { MetricsRegistry } from "./metrics.js";

/** The NATS sinks, loaded by the first pipeline that writes to NATS. */
const natsSinks = () => import("../sinks/nats-sinks.js");
/** The spec loader (YAML, zod), loaded into the node by the first spec that comes over the API. */
const specLoader = () => import("../../src/spec.js");

export interface EdgeNodeOptions {
  /** Specs from the command line: their text (YAML or JSON) and where they came from. */
  specs: { text: string; file: string }[];
  /** Overrides every spec's mode (the CLI's --mode). */
  mode?: Mode;
  /** NATS server URL(s), comma-separated; needed when a spec uses NATS. */
  nats?: string;
  /** Checkpoints here when the server has no JetStream; pipelines deployed over the API are kept here. */
  dataDir?: string;
  /** The edge's id: checkpoint keys, default consumer names, the leaf's JetStream domain. */
  name: string;
  kernel?: KernelKind;
  log: Logger;
  /** Keep running when every pipeline has ended or none is left (the HTTP API may deploy more). */
  keepAlive?: boolean;
}

/** A pipeline the node runs, with the spec it came from. */
export interface DeployedPipeline {
  name: string;
  plan: PipelinePlan;
  /** The spec as given (YAML or JSON text). */
  specText: string;
  origin: "cli" | "api";
  pipeline: EdgePipeline;
}

/** A request the node cannot carry out in its current state (HTTP 409). */
export class ConflictError extends Error {}
/** No pipeline of that name (HTTP 404). */
export class NotFoundError extends Error {}

export function usesNats(plan: PipelinePlan): boolean {
  const sinkUses = (s: SinkSpec | null) => !!(s?.nats || s?.jetstream);
  return plan.sources.some((s) => s.nats || s.jetstream || s.partials) || sinkUses(plan.sink) || sinkUses(plan.late) || sinkUses(plan.deadLetter) || !!plan.forward;
}

export class EdgeNode {
  readonly metrics = new MetricsRegistry();
  private readonly deployed = new Map<string, DeployedPipeline & { run: Promise<void> }>();
  private stopping = false;
  private finish!: (e?: unknown) => void;
  /** Settles when the node has stopped: after `stop()`, or (without keepAlive) when every pipeline has ended. */
  readonly done: Promise<void>;

  private constructor(
    private readonly o: EdgeNodeOptions,
    readonly nc: NatsConnection | null,
    readonly store: CheckpointStore,
  ) {
    this.done = new Promise<void>((resolve, reject) => (this.finish = (e) => (e ? reject(e) : resolve())));
  }

  static async start(o: EdgeNodeOptions): Promise<EdgeNode> {
    const log = o.log;
    // the NATS client is loaded only by a node that connects to NATS, while the child process below works
    const natsClient = o.nats ? import("../nats/connection.js") : null;
    natsClient?.catch(() => undefined); // a failure surfaces where it is awaited
    // the command-line specs and those kept in --data-dir (deployed over the API), resolved in one child process (load-specs.ts)
    const saved = savedSpecs(o.dataDir);
    const outcomes = await resolveApart([
      ...o.specs.map((s) => ({ text: s.text, overrides: { mode: o.mode, defaultName: specName(s.file) } })),
      ...saved.map((s) => ({ text: s.text, overrides: { mode: s.mode ?? o.mode, defaultName: s.name } })),
    ]);
    const plans = outcomes.slice(0, o.specs.length).map(planOf);
    if (plans.some(usesNats) && !o.nats) throw new UsageError("a spec uses NATS: give the server with --nats <url>");
    const names = plans.map((p) => p.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice !== undefined) throw new UsageError(`two specs are named "${twice}": pipeline names must differ`);
    let nc: NatsConnection | null = null;
    let jetStream = false;
    if (o.nats) {
      const { connectNats, hasJetStream } = await natsClient!;
      nc = await connectNats(o.nats, `weir-edge-${o.name}`);
      log.info("connected to NATS", { server: nc.getServer(), version: nc.info?.version });
      jetStream = await hasJetStream(nc);
    }
    let store: CheckpointStore;
    if (nc && jetStream) store = await KvCheckpointStore.open(nc, o.name);
    else if (o.dataDir) store = new DirCheckpointStore(join(o.dataDir, "checkpoints"));
    else {
      store = new MemoryCheckpointStore();
      log.warn("no checkpoint store (no JetStream and no --data-dir): state is lost on restart");
    }
    const node = new EdgeNode(o, nc, store);
    for (let i = 0; i < plans.length; i++) await node.launch(plans[i]!, o.specs[i]!.text, "cli");
    for (const [i, s] of saved.entries()) {
      if (node.deployed.has(s.name)) {
        log.warn("a pipeline deployed over the API has the name of a command-line spec: the command line wins", { pipeline: s.name });
        continue;
      }
      await node.launch(planOf(outcomes[o.specs.length + i]!), s.text, "api");
    }
    node.settleIfIdle();
    return node;
  }

  list(): DeployedPipeline[] {
    return [...this.deployed.values()];
  }

  get(name: string): DeployedPipeline {
    const d = this.deployed.get(name);
    if (!d) throw new NotFoundError(`no pipeline named "${name}"`);
    return d;
  }

  /** Whether NATS (when used) is connected and every pipeline is running. */
  ready(): boolean {
    const natsOk = !this.nc || !this.nc.isClosed();
    return natsOk && this.list().every((d) => d.pipeline.status === "running");
  }

  /**
   * Deploys a spec at runtime. @throws SpecError (bad spec, with field paths),
   * ConflictError (the name is taken).
   */
  async deploy(text: string, opts: { mode?: Mode } = {}): Promise<DeployedPipeline> {
    const { loadSpec } = await specLoader();
    const plan = loadSpec(text, { mode: opts.mode });
    if (this.deployed.has(plan.name)) throw new ConflictError(`a pipeline named "${plan.name}" exists: replace it with PUT /pipelines/${plan.name}`);
    this.checkNats(plan);
    const d = await this.launch(plan, text, "api");
    this.persist(plan.name, text, opts.mode);
    return d;
  }

  /** Replaces a pipeline: the old one drains and checkpoints, the new one restores what still fits. */
  async replace(name: string, text: string, opts: { mode?: Mode } = {}): Promise<DeployedPipeline> {
    const old = this.get(name);
    const { loadSpec } = await specLoader();
    const plan = loadSpec(text, { mode: opts.mode, defaultName: name });
    if (plan.name !== name) throw new SpecError([{ path: "name", message: `must be "${name}" (the pipeline being replaced), got "${plan.name}"` }]);
    this.checkNats(plan);
    await this.halt(old);
    const d = await this.launch(plan, text, "api");
    this.persist(name, text, opts.mode);
    return d;
  }

  /** Switches a pipeline between micro-batch and continuous; its state carries over. */
  async switchMode(name: string, mode: Mode): Promise<DeployedPipeline> {
    const old = this.get(name);
    if (old.plan.mode === mode) return old;
    await this.halt(old);
    const { loadSpec } = await specLoader();
    const d = await this.launch(loadSpec(old.specText, { mode, defaultName: name }), old.specText, old.origin);
    if (old.origin === "api") this.persist(name, old.specText, mode);
    return d;
  }

  /** Drains and stops a pipeline and forgets it (its checkpoint stays). */
  async remove(name: string): Promise<void> {
    const d = this.get(name);
    await this.halt(d);
    this.unpersist(name);
    this.settleIfIdle();
  }

  /** Graceful stop of every pipeline: drain, checkpoint, flush, close. */
  async stop(): Promise<void> {
    if (this.stopping) return this.done;
    this.stopping = true;
    const all = this.list();
    for (const d of all) d.pipeline.stop();
    await Promise.allSettled([...this.deployed.values()].map((d) => d.run));
    await this.nc?.drain().catch(() => undefined);
    this.finish();
    return this.done;
  }

  private async halt(d: DeployedPipeline & { run?: Promise<void> }): Promise<void> {
    d.pipeline.stop();
    await this.deployed.get(d.name)?.run.catch(() => undefined);
    this.deployed.delete(d.name);
  }

  private checkNats(plan: PipelinePlan): void {
    if (usesNats(plan) && !this.nc) throw new SpecError([{ path: "source", message: "uses NATS, but this edge node was started without --nats" }]);
  }

  private async launch(plan: PipelinePlan, specText: string, origin: "cli" | "api"): Promise<DeployedPipeline> {
    const { nc, store, o } = this;
    const plog = o.log.child({ pipeline: plan.name });
    const restored = await loadCheckpoint(store, plan);
    if (restored) plog.info("restored checkpoint", { savedAt: restored.savedAt, positions: restored.positions });
    if (plan.sources.length === 0) throw new SpecError([{ path: "source", message: "a live pipeline needs a source (nats, jetstream, file, http or generator)" }]);
    if (plan.sources.some((x) => x.partials)) throw new SpecError([{ path: "source.partials", message: "merges edge summaries: run this spec with weir central" }]);
    const sources = await Promise.all(plan.sources.map((s) => openSource(s, plan, nc, o.nats ?? null, o.name, restored?.positions ?? {}, plog)));
    const sinks = {
      rows: plan.sink ? await openSink(plan.sink, nc, o.nats ?? null, plog) : new ConsoleSink(),
      late: plan.late ? await openSink(plan.late, nc, o.nats ?? null, plog) : null,
      deadLetter: plan.deadLetter
        ? await openSink(plan.deadLetter, nc, o.nats ?? null, plog)
        : nc
          ? new (await natsSinks()).NatsSink(nc, `weir.dead-letter.${plan.name}`, "json")
          : new FileSink(join(o.dataDir ?? ".", `${plan.name}.dead-letter.jsonl`)),
    };
    const forwarder = plan.forward ? new Forwarder(plan, plan.forward, o.name, await openForwardSink(plan.forward, nc, plog)) : null;
    // core NATS cannot be held back: its inbox share is its maxPending, so bursts are buffered, not dropped
    const inboxCapacity = Math.max(4096, ...plan.sources.map((x) => (x.nats ? (x.nats.maxPending ?? 65_536) : 0)));
    const pipeline = new EdgePipeline({ plan, sources, sinks, store, log: plog, metrics: this.metrics, kernel: o.kernel, forwarder, inboxCapacity }, restored);
    const run = pipeline.run().then(
      () => this.settleIfIdle(),
      (e) => {
        pipeline.status = "failed";
        pipeline.error = (e as Error)?.message ?? String(e);
        plog.error("pipeline failed", { error: pipeline.error });
        if (!o.keepAlive) this.finish(e);
      },
    );
    const d = { name: plan.name, plan, specText, origin, pipeline, run };
    this.deployed.set(plan.name, d);
    await pipeline.started;
    return d;
  }

  /** Without keepAlive the node ends once no pipeline runs. */
  private settleIfIdle(): void {
    if (this.o.keepAlive || this.stopping) return;
    if (this.list().every((d) => d.pipeline.status === "stopped" || d.pipeline.status === "failed")) void this.stop();
  }

  private persist(name: string, text: string, mode?: Mode): void {
    const dir = specDir(this.o.dataDir);
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.json`), JSON.stringify({ name, mode, text }));
  }

  private unpersist(name: string): void {
    const dir = specDir(this.o.dataDir);
    if (dir) rmSync(join(dir, `${name}.json`), { force: true });
  }
}

/** Where pipelines deployed over the API are kept: `<data-dir>/pipelines`. */
function specDir(dataDir: string | undefined): string | null {
  return dataDir ? join(dataDir, "pipelines") : null;
}

function savedSpecs(dataDir: string | undefined): { name: string; mode?: Mode; text: string }[] {
  const dir = specDir(dataDir);
  if (!dir || !existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as { name: string; mode?: Mode; text: string });
}

/** `specs/site-a.yaml` → `site-a`: the name of a spec without `name`. */
export function specName(file: string): string {
  return basename(file, extname(file)).replace(/[^A-Za-z0-9_.-]/g, "-");
}

async function openSource(s: NamedSource, plan: PipelinePlan, nc: NatsConnection | null, url: string | null, edge: string, positions: Record<string, number>, log: Logger): Promise<LiveSource> {
  if (s.jetstream) {
    const j = s.jetstream;
    const { JetStreamSource } = await import("../nats/jetstream-source.js");
    return JetStreamSource.open(s.name, nc!, {
      stream: j.stream,
      subjects: j.subjects,
      durable: j.durable ?? `weir-${edge}-${plan.name}`.replace(/[^A-Za-z0-9_-]/g, "_"),
      create: j.create ?? false,
      codec: j.codec ?? "json",
      maxInFlight: j.maxInFlight ?? 1000,
      maxAckPending: 2 * MAX_UNACKED,
      startAfter: positions[`jetstream:${j.stream}`] ?? null,
      url: j.connection === "shared" ? null : url,
    }, log);
  }
  if (s.nats) return new CoreNatsSource(s.name, nc!, { subject: s.nats.subject, queue: s.nats.queue, codec: s.nats.codec ?? "json", maxPending: s.nats.maxPending ?? 65_536, url: s.nats.connection === "shared" ? null : url }, log);
  if (s.file) return new FileSource(s.name, s.file.path, positions[`file:${s.file.path}`] ?? 0);
  if (s.http) return new HttpSource(s.name);
  const g = s.generator!;
  return new GeneratorSource(s.name, { ...g });
}

/** Where partial summaries go: JetStream (deduplicated by message id) when `forward.jetstream` is set, else core NATS. */
async function openForwardSink(f: ForwardSpec, nc: NatsConnection | null, log: Logger): Promise<OutputSink> {
  if (!nc) throw new SpecError([{ path: "forward", message: "forwarding needs NATS: start the edge node with --nats" }]);
  const subjects = f.partitions ? [`${f.subject}.>`] : [f.subject];
  const { JetStreamSink, NatsSink } = await natsSinks();
  if (f.jetstream) {
    return JetStreamSink.open(nc, { stream: f.jetstream.stream, subject: f.subject, subjects, codec: f.codec ?? "msgpack", create: f.jetstream.create ?? false, duplicateWindow: f.jetstream.duplicateWindow }, log);
  }
  return new NatsSink(nc, f.subject, f.codec ?? "msgpack");
}

/**
 * A pipeline's sink. A core NATS sink publishes on its own connection to
 * `url` (docs/edge.md), unless it says `connection: shared`, the server
 * requires TLS or cannot be reached at start: then through the nats.js client.
 */
export async function openSink(s: SinkSpec, nc: NatsConnection | null, url: string | null, log: Logger): Promise<OutputSink> {
  if (s.jetstream) {
    const j = s.jetstream;
    const { JetStreamSink } = await natsSinks();
    return JetStreamSink.open(nc!, { stream: j.stream, subject: j.subject, codec: j.codec ?? "json", create: j.create ?? false, maxBytes: j.maxBytes, duplicateWindow: j.duplicateWindow }, log);
  }
  if (s.nats) {
    const { NatsSink, WireNatsSink } = await natsSinks();
    const codec = s.nats.codec ?? "json";
    const own = s.nats.connection === "shared" ? null : await openOwnConnection(url, `weir-sink-${s.nats.subject}`, log);
    if (!own) return new NatsSink(nc!, s.nats.subject, codec);
    try {
      return new WireNatsSink(own, s.nats.subject, codec);
    } catch (e) {
      own.close();
      throw e;
    }
  }
  if (s.file) return new FileSink(s.file.path);
  return new ConsoleSink();
}
