/**
 * Real nats-server processes for integration tests: each on free loopback
 * ports with its own temp store dir, stopped (and its dir removed) by stop().
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { natsServerBinary } from "../../edge/runtime/leaf-server.js";

export const NATS_SERVER = natsServerBinary();

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface NatsServerOptions {
  name?: string;
  jetstream?: boolean;
  /** JetStream domain. */
  domain?: string;
  /** Accept leaf node connections (a hub). */
  leafListen?: boolean;
  /** Connect as a leaf node to this hub leaf URL (nats-leaf://host:port). */
  leafRemote?: string;
  /** Reuse ports and store dir (to restart a stopped server). */
  reuse?: { port: number; leafPort?: number; dir: string };
}

export interface NatsServer {
  url: string;
  port: number;
  /** The server process (to pause it with SIGSTOP: a link that is dead but not closed). */
  pid: number;
  leafPort?: number;
  dir: string;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s). Keeps the store dir. */
  stop(): Promise<void>;
  /** Starts it again on the same ports and store dir. */
  restart(): Promise<NatsServer>;
  /** Stops it and removes its store dir. */
  destroy(): Promise<void>;
}

export async function startNatsServer(opts: NatsServerOptions = {}): Promise<NatsServer> {
  const port = opts.reuse?.port ?? (await freePort());
  const leafPort = opts.leafListen ? (opts.reuse?.leafPort ?? (await freePort())) : undefined;
  const dir = opts.reuse?.dir ?? mkdtempSync(join(tmpdir(), "weir-nats-"));
  const name = opts.name ?? `test-${port}`;
  const lines = [`server_name: ${name}`, `listen: 127.0.0.1:${port}`, `max_payload: 2MB`];
  if (opts.jetstream !== false) {
    lines.push(`jetstream { store_dir: "${join(dir, "js")}"${opts.domain ? `, domain: ${opts.domain}` : ""} }`);
  }
  if (leafPort) lines.push(`leafnodes { listen: "127.0.0.1:${leafPort}" }`);
  if (opts.leafRemote) lines.push(`leafnodes { remotes: [ { url: "${opts.leafRemote}" } ], reconnect: 1 }`);
  const conf = join(dir, "server.conf");
  writeFileSync(conf, lines.join("\n") + "\n");
  const child = spawn(NATS_SERVER, ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
  await waitReady(child, 15_000);
  const stop = () => stopProcess(child);
  const server: NatsServer = {
    url: `nats://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    leafPort,
    dir,
    stop,
    restart: () => startNatsServer({ ...opts, reuse: { port, leafPort, dir } }),
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

function waitReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`nats-server not ready after ${timeoutMs} ms:\n${log}`));
    }, timeoutMs);
    child.stderr!.on("data", (d: Buffer) => {
      log += d.toString();
      if (log.includes("Server is ready")) {
        clearTimeout(timer);
        child.stderr!.removeAllListeners("data");
        child.stderr!.resume();
        resolve();
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with ${code}:\n${log}`));
    });
  });
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill(signal);
  });
}
