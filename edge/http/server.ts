/**
 * `weir edge --http <host:port>`: serves the API and dashboard (app.ts) on
 * Node's HTTP server. Refuses a non-loopback address without a token.
 */
import { readFileSync } from "node:fs";
import { serve } from "@hono/node-server";
import type { EdgeNode } from "../runtime/edge-node.js";
import type { Logger } from "../runtime/log.js";
import { createApp } from "./app.js";
import { isLoopback, parseListen } from "./listen.js";

export interface HttpServer {
  url: string;
  close(): Promise<void>;
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

export async function startHttpServer(node: EdgeNode, o: { listen: string; token?: string; log: Logger }): Promise<HttpServer> {
  const { host, port } = parseListen(o.listen);
  if (!isLoopback(host) && !o.token) throw new Error(`--http ${o.listen}: refusing to listen beyond this machine without a token (set --token or WEIR_TOKEN)`);
  const app = createApp(node, { token: o.token, log: o.log, version: version() });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (info) => {
      const url = `http://${host.includes(":") ? `[${host}]` : host}:${info.port}`;
      o.log.info("HTTP API and dashboard", { url, auth: o.token ? "bearer token" : "none (loopback only)" });
      resolve({
        url,
        close: () =>
          new Promise<void>((r) => {
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => r());
          }),
      });
    });
    server.on("error", reject);
  });
}
