/**
 * `weir edge --leaf <hub-url>`: starts and supervises the edge's own
 * nats-server, a leaf node of the central hub with its own JetStream domain
 * (the edge name). weir writes summaries into a local stream there; the
 * hub sources that stream across the domain and catches up after an outage
 * (docs/edge.md). The server is restarted if it dies, stopped with weir.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "./log.js";

export interface LeafServerOptions {
  /** The hub's leaf-node URL, e.g. nats-leaf://hub.example:7422. */
  hub: string;
  /** Where clients connect: host and port of --nats. */
  host: string;
  port: number;
  /** JetStream domain and server name. */
  name: string;
  dataDir: string;
  log: Logger;
}

/** Where nats-server is usually installed (Debian's package puts it in /usr/sbin). */
export const NATS_SERVER_PATHS = ["/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"];

/** The first installed nats-server of NATS_SERVER_PATHS, or null. */
export function findNatsServer(): string | null {
  return NATS_SERVER_PATHS.find(existsSync) ?? null;
}

/** The nats-server to run: an installed one, else whatever `nats-server` is on the PATH. */
export function natsServerBinary(): string {
  return findNatsServer() ?? "nats-server";
}

/** The configuration weir writes for its leaf server. */
export function leafConfig(o: Omit<LeafServerOptions, "log">): string {
  return [
    `server_name: ${o.name}`,
    `listen: ${o.host}:${o.port}`,
    `jetstream { store_dir: "${join(o.dataDir, "nats")}", domain: ${o.name} }`,
    `leafnodes { remotes: [ { url: "${o.hub}" } ], reconnect: 2 }`,
    "",
  ].join("\n");
}

export class LeafServer {
  private child: ChildProcess | null = null;
  private stopping = false;
  private restarts = 0;

  private constructor(private readonly o: LeafServerOptions, private readonly conf: string) {}

  static async start(o: LeafServerOptions): Promise<LeafServer> {
    mkdirSync(o.dataDir, { recursive: true });
    const conf = join(o.dataDir, "leaf.conf");
    writeFileSync(conf, leafConfig(o));
    const s = new LeafServer(o, conf);
    await s.spawn();
    o.log.info("leaf nats-server ready", { url: `nats://${o.host}:${o.port}`, hub: o.hub, domain: o.name, config: conf });
    return s;
  }

  private spawn(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(natsServerBinary(), ["-c", this.conf], { stdio: ["ignore", "ignore", "pipe"] });
      this.child = child;
      let log = "";
      let ready = false;
      const timer = setTimeout(() => {
        if (!ready) {
          child.kill("SIGKILL");
          reject(new Error(`leaf nats-server not ready after 20 s:\n${log.slice(-2000)}`));
        }
      }, 20_000);
      child.stderr!.on("data", (d: Buffer) => {
        if (ready) return;
        log += d.toString();
        if (log.includes("Server is ready")) {
          ready = true;
          clearTimeout(timer);
          resolve();
        }
      });
      child.on("error", (e) => {
        clearTimeout(timer);
        reject(new Error(`cannot start ${natsServerBinary()}: ${e.message} (install nats-server, e.g. apt-get install -y nats-server)`));
      });
      child.on("exit", (code, signal) => {
        clearTimeout(timer);
        if (!ready) return reject(new Error(`leaf nats-server exited (${code ?? signal}):\n${log.slice(-2000)}`));
        if (this.stopping) return;
        this.restarts++;
        this.o.log.error("leaf nats-server exited; restarting", { code, signal, restarts: this.restarts });
        setTimeout(() => this.spawn().catch((e) => this.o.log.error("leaf nats-server restart failed", { error: String(e) })), 1000);
      });
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill("SIGKILL"), 5000);
      child.once("exit", () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill("SIGTERM");
    });
  }
}
