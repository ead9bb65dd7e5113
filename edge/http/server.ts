/**
 * `weir edge --http <host:port>`: serves the API and dashboard (app.ts) on
 * Node's HTTP server. GET /healthz, /readyz and /metrics, all an idle node
 * is asked, are answered here (probes.ts); the API itself, Hono with the
 * web Request and Response classes it builds on, is loaded by the first
 * other request. Refuses a non-loopback address without a token.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { EdgeNode } from "../runtime/edge-node.js";
import type { Logger } from "../runtime/log.js";
import { isLoopback, parseListen } from "./listen.js";
import { isProbePath, probe } from "./probes.js";

export interface HttpServer {
  url: string;
  close(): Promise<void>;
}

interface ServerOptions {
  listen: string;
  token?: string;
  log: Logger;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => unknown;

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/** The Hono app as a Node request listener. */
async function loadApi(node: EdgeNode, host: string, o: ServerOptions): Promise<Listener> {
  const [{ getRequestListener }, { createApp }] = await Promise.all([import("@hono/node-server"), import("./app.js")]);
  const app = createApp(node, { token: o.token, log: o.log, version: version() });
  return getRequestListener(app.fetch, { hostname: host });
}

/** Answers a GET of a probe path; false for any other request (and if the answer fails: the app reports the error). */
function answerProbe(node: EdgeNode, req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? "").split("?")[0]!;
  if (req.method !== "GET" || !isProbePath(path)) return false;
  let a;
  try {
    a = probe(node, path);
  } catch {
    return false;
  }
  res.writeHead(a.status, { "content-type": a.contentType, "content-length": Buffer.byteLength(a.body) });
  res.end(a.body);
  return true;
}

export async function startHttpServer(node: EdgeNode, o: ServerOptions): Promise<HttpServer> {
  const { host, port } = parseListen(o.listen);
  if (!isLoopback(host) && !o.token) throw new Error(`--http ${o.listen}: refusing to listen beyond this machine without a token (set --token or WEIR_TOKEN)`);
  let api: Promise<Listener> | null = null;
  const server = createServer((req, res) => {
    if (answerProbe(node, req, res)) return;
    api ??= loadApi(node, host, o);
    api.then(
      (listener) => listener(req, res),
      (e: Error) => {
        o.log.error("request failed", { method: req.method, path: req.url, error: e.message });
        res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: `internal error: ${e.message.split("\n")[0]}` }));
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.on("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      const url = `http://${host.includes(":") ? `[${host}]` : host}:${typeof address === "object" && address ? address.port : port}`;
      o.log.info("HTTP API and dashboard", { url, auth: o.token ? "bearer token" : "none (loopback only)" });
      resolve({
        url,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
