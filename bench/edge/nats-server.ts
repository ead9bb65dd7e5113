/**
 * A private nats-server with JetStream for one benchmark run: a free
 * loopback port, its store in a fresh temporary folder, removed with the
 * server when the run ends (also when it fails).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WeirError } from "../../src/index.js";
import { findNatsServer, NATS_SERVER_PATHS } from "../../edge/runtime/leaf-server.js";
import { describeExit, spawnChild, type Child } from "./child.js";


/** How long the server may live at most: longer than any benchmark run. */
const SERVER_LIMIT_MS = 30 * 60_000;
const READY_MS = 15_000;

/** A port nothing listens on now: the system's pick for port 0, released at once. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => (port > 0 ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

export interface PrivateNatsServerOptions {
  /** Lines added to the server's configuration (e.g. `max_pending: 1GB`). */
  config?: string[];
  /** Open the monitoring port (for `slowConsumers()`). */
  monitor?: boolean;
}

export class PrivateNatsServer {
  private constructor(
    readonly url: string,
    /** The monitoring endpoint, when started with `monitor`. */
    private readonly monitorUrl: string | null,
    readonly dir: string,
    private readonly child: Child,
  ) {}

  static async start(opts: PrivateNatsServerOptions = {}): Promise<PrivateNatsServer> {
    const bin = findNatsServer();
    if (!bin) throw new WeirError("BENCH_SETUP", `nats-server not found (looked for ${NATS_SERVER_PATHS.join(", ")}); apt-get install -y nats-server`);
    const dir = mkdtempSync(join(tmpdir(), "weir-bench-"));
    try {
      const port = await freePort();
      const httpPort = opts.monitor ? await freePort() : null;
      const conf = join(dir, "nats.conf");
      writeFileSync(
        conf,
        [
          `server_name: weir_bench`,
          `listen: 127.0.0.1:${port}`,
          ...(httpPort ? [`http: 127.0.0.1:${httpPort}`] : []),
          `max_payload: 2MB`,
          ...(opts.config ?? []),
          `jetstream {`,
          `  store_dir: "${join(dir, "js")}"`,
          `}`,
          "",
        ].join("\n"),
      );
      let ready: () => void = () => {};
      const isReady = new Promise<void>((r) => (ready = r));
      const child = spawnChild(bin, ["-c", conf], {
        timeoutMs: SERVER_LIMIT_MS,
        onLine: (line) => {
          if (line.includes("Server is ready")) ready();
        },
      });
      const server = new PrivateNatsServer(`nats://127.0.0.1:${port}`, httpPort ? `http://127.0.0.1:${httpPort}` : null, dir, child);
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        isReady.then(() => "ready" as const),
        child.exited.then((s) => `exited (${describeExit(s)})`),
        new Promise<string>((r) => (timer = setTimeout(() => r(`not ready after ${READY_MS} ms`), READY_MS))),
      ]);
      clearTimeout(timer);
      if (outcome !== "ready") {
        await server.stop();
        throw new WeirError("BENCH_SETUP", `nats-server ${outcome}:\n${child.tail()}`);
      }
      return server;
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Slow consumers the server has cut off since it started (`/varz`; needs `monitor`). */
  async slowConsumers(): Promise<number> {
    if (!this.monitorUrl) throw new WeirError("BENCH_SETUP", "nats-server was started without its monitoring port");
    const r = await fetch(`${this.monitorUrl}/varz`, { signal: AbortSignal.timeout(5000) });
    const v = (await r.json()) as { slow_consumers?: number };
    if (typeof v.slow_consumers !== "number") throw new WeirError("BENCH_SETUP", "nats-server /varz has no slow_consumers");
    return v.slow_consumers;
  }

  /** Stops the server (SIGTERM, SIGKILL after 5 s) and removes its store. */
  async stop(): Promise<void> {
    try {
      await this.child.stop(5000);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
