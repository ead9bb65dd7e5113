/**
 * One `weir edge` child process of the memory benchmark, run as users run
 * it (`node bin/weir.js edge <spec> --http 127.0.0.1:<port>`), optionally
 * with the GC hook preloaded (gc-hook.ts). Talks to it over its HTTP API:
 * /readyz, /metrics, /ingest.
 */
import { createServer } from "node:net";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { WeirError } from "../../src/index.js";
import { describeExit, spawnChild, type Child } from "../edge/child.js";
import { repoRoot } from "../lib/paths.js";
import { memorySpec, packRecords, pipelineName, type MemoryCase } from "./cases.js";

/** Reaching /readyz after spawn. */
const START_LIMIT_MS = 30_000;
/** One HTTP request (an ingest batch, a scrape). */
const REQUEST_LIMIT_MS = 60_000;
/** The GC hook's answer to SIGUSR2. */
const GC_LIMIT_MS = 20_000;
const GC_MARK = '"msg":"weir-bench-gc"';

/** process.memoryUsage() inside the child, after a full GC. */
export interface ChildHeap {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface EdgeProcess {
  readonly child: Child;
  readonly pid: number;
  readonly url: string;
  readonly pipeline: string;
  /** Full GC in the child (needs the hook); resolves with its heap figures. */
  collect(): Promise<ChildHeap>;
  /** This pipeline's gauges and counters from /metrics, by metric name. */
  metrics(): Promise<Map<string, number>>;
  /** GET /pipelines: the node loads its HTTP API with its first request other than /healthz, /readyz and /metrics. */
  loadApi(): Promise<void>;
  /** Posts the records of keys [from, to) in batches of `batch`, one request at a time; checks every answer. */
  ingest(from: number, to: number, batch: number): Promise<void>;
  stop(): Promise<void>;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (a && typeof a === "object" ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

const hookPath = () => join(fileURLToPath(new URL(".", import.meta.url)), "gc-hook.js");

export async function startEdge(c: MemoryCase, o: { dir: string; gcHook: boolean; timeoutMs: number }): Promise<EdgeProcess> {
  const specFile = join(o.dir, `${pipelineName(c)}.json`);
  writeFileSync(specFile, JSON.stringify(memorySpec(c), null, 2) + "\n");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const node = o.gcHook ? ["--expose-gc", "--import", pathToFileURL(hookPath()).href] : [];
  const waiting: ((line: string) => void)[] = [];
  const child = spawnChild(process.execPath, [...node, join(repoRoot(), "bin", "weir.js"), "edge", specFile, "--http", `127.0.0.1:${port}`], {
    cwd: repoRoot(),
    timeoutMs: o.timeoutMs,
    onLine: (line) => {
      if (line.includes(GC_MARK)) waiting.shift()?.(line);
    },
  });
  const p: EdgeProcess = {
    child,
    pid: child.pid,
    url,
    pipeline: pipelineName(c),
    async collect() {
      if (!o.gcHook) throw new WeirError("BENCH_CHILD", "this weir edge process runs without the GC hook");
      const answer = new Promise<string>((resolve) => waiting.push(resolve));
      child.proc.kill("SIGUSR2");
      const line = await within(child, answer, GC_LIMIT_MS, "answer the GC signal");
      const o2 = JSON.parse(line) as { collected: boolean; memory: ChildHeap };
      if (!o2.collected) throw new WeirError("BENCH_CHILD", "the GC hook has no gc(): node was started without --expose-gc");
      return o2.memory;
    },
    async metrics() {
      const text = await within(child, request(`${url}/metrics`).then((r) => r.text()), REQUEST_LIMIT_MS, "serve /metrics");
      return parseMetrics(text, p.pipeline);
    },
    async loadApi() {
      const res = await within(child, request(`${url}/pipelines`), REQUEST_LIMIT_MS, "answer GET /pipelines");
      if (res.status !== 200) throw new WeirError("BENCH_CHILD", `GET /pipelines: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
      await res.body?.cancel();
    },
    async ingest(from, to, batch) {
      for (let a = from; a < to; a += batch) {
        const b = Math.min(to, a + batch);
        const res = await within(
          child,
          request(`${url}/ingest/${p.pipeline}`, { method: "POST", headers: { "content-type": "application/msgpack" }, body: packRecords(c, a, b) }),
          REQUEST_LIMIT_MS,
          "answer an ingest request",
        );
        const body = (await res.json()) as { accepted?: number; deadLettered?: number; error?: string };
        if (res.status !== 200 || body.accepted !== b - a || body.deadLettered !== 0) {
          throw new WeirError("BENCH_MISMATCH", `POST /ingest/${p.pipeline} (keys ${a}..${b - 1}): HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
        }
      }
    },
    async stop() {
      await child.stop(15_000);
    },
  };
  try {
    await waitReady(p);
  } catch (e) {
    await child.stop(2000);
    throw e;
  }
  return p;
}

function request(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_LIMIT_MS) });
}

/** Waits for `what`, failing when the child exits first or `ms` pass. */
async function within<T>(child: Child, what: Promise<T>, ms: number, goal: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const failed = Symbol("failed");
  let why = "";
  const outcome = await Promise.race([
    what,
    child.exited.then((s) => ((why = `exited first (${describeExit(s)})`), failed)),
    new Promise<typeof failed>((r) => (timer = setTimeout(() => ((why = `took longer than ${ms / 1000} s`), r(failed)), ms))),
  ]).finally(() => clearTimeout(timer));
  if (outcome === failed) throw new WeirError("BENCH_CHILD", `weir edge did not ${goal}: ${why}:\n${child.tail()}`);
  return outcome as T;
}

/** Polls /readyz until the node and its pipeline are running. */
async function waitReady(p: EdgeProcess): Promise<void> {
  const until = Date.now() + START_LIMIT_MS;
  for (;;) {
    if (p.child.hasExited()) throw new WeirError("BENCH_CHILD", `weir edge exited before it was ready (${describeExit(await p.child.exited)}):\n${p.child.tail()}`);
    const ok = await fetch(`${p.url}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
      async (r) => r.status === 200 && ((await r.json()) as { ready?: boolean }).ready === true,
      () => false,
    );
    if (ok) return;
    if (Date.now() > until) throw new WeirError("BENCH_CHILD", `weir edge was not ready after ${START_LIMIT_MS / 1000} s:\n${p.child.tail()}`);
    await sleep(50);
  }
}

/** The samples of one pipeline (label pipeline="<name>") in Prometheus text; histograms are left out. */
export function parseMetrics(text: string, pipeline: string): Map<string, number> {
  const out = new Map<string, number>();
  const label = `pipeline="${pipeline}"`;
  for (const line of text.split("\n")) {
    const m = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (m && m[2]!.split(",").includes(label)) out.set(m[1]!, Number(m[3]));
  }
  return out;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
