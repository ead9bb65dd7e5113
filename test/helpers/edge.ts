/**
 * Helpers for edge-node tests: a `weir edge` child process, and reading a
 * JetStream stream back.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, expect } from "vitest";
import { BIN, scratch, weir } from "./cli.js";
import { startNatsServer, type NatsServer } from "./nats-server.js";

export interface EdgeProcess {
  child: ChildProcess;
  /** Everything the process wrote to stderr so far (JSON log lines). */
  logs(): string;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<number | string>;
  /** Waits until a log line contains `text`. */
  waitForLog(text: string, timeoutMs?: number): Promise<void>;
}

/** Starts `weir edge <args>`; it is SIGKILLed after `timeoutMs` if still running. */
export function startEdge(args: string[], timeoutMs = 120_000): EdgeProcess {
  const child = spawn(process.execPath, [BIN, "edge", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  const listeners: (() => void)[] = [];
  child.stderr!.on("data", (d: Buffer) => {
    err += d.toString();
    for (const l of listeners.slice()) l();
  });
  child.stdout!.resume();
  const killer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => {
      clearTimeout(killer);
      resolve(code ?? signal ?? "unknown");
    });
  });
  return {
    child,
    logs: () => err,
    exited,
    waitForLog(text, ms = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (err.includes(text)) {
            clearTimeout(t);
            listeners.splice(listeners.indexOf(check), 1);
            resolve();
          }
        };
        const t = setTimeout(() => reject(new Error(`no log line with "${text}" after ${ms} ms:\n${err.slice(-3000)}`)), ms);
        listeners.push(check);
        check();
        void exited.then(() => setTimeout(() => reject(new Error(`weir edge exited before logging "${text}":\n${err.slice(-3000)}`)), 50));
      });
    },
  };
}

export async function natsConnect(url: string): Promise<NatsConnection> {
  return connect({ servers: url, noAsyncTraces: true, timeout: 10_000 });
}

/** Every message of a stream, in order: Nats-Msg-Id, body (parsed JSON, or the text when it is not JSON), headers. */
export async function readStream(nc: NatsConnection, stream: string, opts: { domain?: string } = {}): Promise<{ id: string | undefined; body: unknown; headers: Record<string, string> }[]> {
  const jsm = await jetstreamManager(nc, opts.domain ? { domain: opts.domain } : {});
  const info = await jsm.streams.info(stream);
  const n = info.state.messages;
  if (n === 0) return [];
  const js = jetstream(nc, opts.domain ? { domain: opts.domain } : {});
  const c = await js.consumers.get(stream);
  const out: { id: string | undefined; body: unknown; headers: Record<string, string> }[] = [];
  const iter = await c.fetch({ max_messages: n, expires: 10_000 });
  for await (const m of iter) {
    const headers: Record<string, string> = {};
    if (m.headers) for (const [k, v] of m.headers) headers[k] = v.join(",");
    const text = new TextDecoder().decode(m.data);
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // a dead letter's original bytes
    }
    out.push({ id: m.headers?.get("Nats-Msg-Id"), body, headers });
    if (out.length === n) break;
  }
  return out;
}

/** Polls `f` until it returns true (every 100 ms, up to `timeoutMs`). */
export async function until(f: () => Promise<boolean> | boolean, what: string | (() => string), timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await f()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${typeof what === "string" ? what : what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Messages in a stream now; 0 when it cannot be asked (no such stream, or the client is still reconnecting). */
export async function streamCount(nc: NatsConnection, stream: string, domain?: string): Promise<number> {
  try {
    const jsm = await jetstreamManager(nc, domain ? { domain } : {});
    return (await jsm.streams.info(stream)).state.messages;
  } catch {
    return 0;
  }
}

/**
 * A nats-server with JetStream and a client connection for the tests of one
 * file, plus a scratch folder: started before them, stopped after.
 */
export function useNatsServer() {
  const ctx = { server: null as unknown as NatsServer, nc: null as unknown as NatsConnection, files: scratch() };
  beforeAll(async () => {
    ctx.server = await startNatsServer();
    ctx.nc = await natsConnect(ctx.server.url);
  });
  afterAll(async () => {
    await ctx.nc?.close();
    await ctx.server?.destroy();
    ctx.files.cleanup();
  });
  return ctx;
}

/** Rows `weir run` emits on `records` before end of input (a live pipeline never reaches it). */
export function replayRows(files: ReturnType<typeof scratch>, specFile: string, records: object[], tag = "replay"): Record<string, unknown>[] {
  files.write(`${tag}-in.jsonl`, records);
  const r = weir(["run", specFile, "-i", files.path(`${tag}-in.jsonl`), "-o", files.path(`${tag}-out.jsonl`), "--annotate"], { timeoutMs: 120_000 });
  expect(r.code).toBe(0);
  return files
    .read(`${tag}-out.jsonl`)
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((row) => row.emitted_at !== "eoi")
    .map(({ emitted_at: _, ...row }) => row);
}
