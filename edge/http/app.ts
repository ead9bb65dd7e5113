/**
 * The edge node's HTTP API and dashboard (docs/api.md), as a Hono app over
 * an EdgeNode. Mutating endpoints and /ingest need the bearer token when
 * the node has one. Errors are JSON `{ error, problems? }`, never a stack.
 */
import { readFileSync } from "node:fs";
import { timingSafeEqual } from "node:crypto";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { streamSSE } from "hono/streaming";
import { SpecError, queryOpenWindows, recordUnpackr, type Mode, type ResultRow } from "../../src/runtime.js";
import { ConflictError, NotFoundError, type DeployedPipeline, type EdgeNode } from "../runtime/edge-node.js";
import type { Logger } from "../runtime/log.js";
import { assetPath } from "./assets.js";
import { probe, PROBE_PATHS } from "./probes.js";
import { ingestJsonSchema, modeRequestSchema } from "./schemas.js";

export interface AppOptions {
  token?: string;
  log: Logger;
  version: string;
  /** Largest request body, bytes (default 8 MiB). */
  maxBody?: number;
}

/** A request the API refuses with a status and a reason. */
class HttpError extends Error {
  constructor(readonly status: 400 | 401 | 404 | 409 | 413 | 415, message: string) {
    super(message);
  }
}

const MUTATING = new Set(["POST", "PUT", "DELETE", "PATCH"]);

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function summary(d: DeployedPipeline) {
  const p = d.pipeline;
  return { name: d.name, mode: d.plan.mode, status: p.status, origin: d.origin, error: p.error, metrics: p.metrics() };
}

export function createApp(node: EdgeNode, o: AppOptions): Hono {
  const app = new Hono();
  const maxBody = o.maxBody ?? 8 * 1024 * 1024;

  app.onError((e, c) => {
    if (e instanceof SpecError) return c.json({ error: "invalid spec", problems: e.problems }, 400);
    if (e instanceof HttpError) return c.json({ error: e.message }, e.status);
    if (e instanceof NotFoundError) return c.json({ error: e.message }, 404);
    if (e instanceof ConflictError) return c.json({ error: e.message }, 409);
    o.log.error("request failed", { method: c.req.method, path: c.req.path, error: (e as Error).message });
    return c.json({ error: `internal error: ${(e as Error).message.split("\n")[0]}` }, 500);
  });
  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404));

  app.use("*", async (c, next) => {
    const needsToken = MUTATING.has(c.req.method) || c.req.path.startsWith("/ingest/");
    if (needsToken && o.token) {
      const h = c.req.header("authorization") ?? "";
      const m = /^Bearer\s+(.+)$/i.exec(h);
      if (!m || !sameToken(m[1]!.trim(), o.token)) return c.json({ error: "this endpoint needs the node's token: Authorization: Bearer <token>" }, 401);
    }
    await next();
  });
  app.use("*", bodyLimit({ maxSize: maxBody, onError: (c) => c.json({ error: `request body larger than ${maxBody} bytes` }, 413) }));

  // health and metrics: server.ts answers GET without loading this app; these routes answer HEAD
  for (const path of PROBE_PATHS) {
    app.get(path, (c) => {
      const a = probe(node, path);
      return c.body(a.body, a.status, { "content-type": a.contentType });
    });
  }
  // loaded on request: it brings the spec loader (its schema is part of the document)
  app.get("/openapi.json", async (c) => c.json((await import("./openapi.js")).openApiDocument(o.version)));

  // pipelines
  app.get("/pipelines", (c) => c.json(node.list().map(summary)));
  app.get("/pipelines/:name", (c) => {
    const d = node.get(c.req.param("name"));
    return c.json({ ...summary(d), spec: d.specText });
  });
  app.post("/pipelines", async (c) => {
    const d = await node.deploy(await specText(c), { mode: modeParam(c) });
    return c.json(summary(d), 201);
  });
  app.put("/pipelines/:name", async (c) => {
    const d = await node.replace(c.req.param("name"), await specText(c), { mode: modeParam(c) });
    return c.json(summary(d));
  });
  app.delete("/pipelines/:name", async (c) => {
    const name = c.req.param("name");
    await node.remove(name);
    return c.json({ stopped: name });
  });
  app.post("/pipelines/:name/mode", async (c) => {
    const body = modeRequestSchema.safeParse(await jsonBody(c));
    if (!body.success) throw new HttpError(400, `body must be {"mode": "continuous" | "micro-batch"}: ${body.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`);
    return c.json(summary(await node.switchMode(c.req.param("name"), body.data.mode)));
  });
  app.get("/pipelines/:name/windows", (c) => {
    const d = node.get(c.req.param("name"));
    const op = d.pipeline.op;
    const wm = op.watermark;
    return c.json({ pipeline: d.name, watermark: Number.isFinite(wm) ? wm : null, windows: queryOpenWindows(op, c.req.query("key")) });
  });
  app.get("/pipelines/:name/results", (c) => {
    const d = node.get(c.req.param("name"));
    return streamSSE(c, async (stream) => {
      const queue: ResultRow[] = [];
      let wake: (() => void) | null = null;
      const off = d.pipeline.onRow((row) => {
        queue.push(row);
        wake?.();
      });
      stream.onAbort(() => {
        off();
        wake?.();
      });
      await stream.writeSSE({ event: "ready", data: JSON.stringify({ pipeline: d.name }) });
      while (!stream.aborted && !stream.closed) {
        if (queue.length === 0) {
          await new Promise<void>((r) => {
            const t = setTimeout(r, 15_000); // a ping keeps proxies from closing an idle stream
            wake = () => {
              clearTimeout(t);
              r();
            };
          });
          wake = null;
          if (queue.length === 0) await stream.writeSSE({ event: "ping", data: "{}" });
          continue;
        }
        for (const row of queue.splice(0)) await stream.writeSSE({ event: "row", data: JSON.stringify(row) });
      }
      off();
    });
  });

  // ingest
  app.post("/ingest/:name", async (c) => {
    const d = node.get(c.req.param("name"));
    const source = d.pipeline.httpSource;
    if (!source) throw new HttpError(409, `pipeline "${d.name}" has no http source: add { http: {} } to its source`);
    const type = (c.req.header("content-type") ?? "application/json").split(";")[0]!.trim().toLowerCase();
    let problems;
    let total: number;
    if (type === "application/x-ndjson" || type === "application/jsonl" || type === "application/jsonlines") {
      const lines = (await c.req.text()).split("\n").map((l) => l.replace(/\r$/, ""));
      if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
      total = lines.length;
      problems = await source.ingestLines(lines);
    } else {
      let value: unknown;
      if (type === "application/msgpack" || type === "application/x-msgpack" || type === "application/vnd.msgpack") {
        try {
          value = recordUnpackr.unpack(new Uint8Array(await c.req.arrayBuffer()));
        } catch (e) {
          throw new HttpError(400, `invalid msgpack: ${(e as Error).message}`);
        }
      } else if (type === "application/json") {
        value = await jsonBody(c);
      } else {
        throw new HttpError(415, `content-type ${type} is not one of application/json, application/x-ndjson, application/msgpack`);
      }
      // an array may hold bad records: they are dead-lettered one by one
      if (!ingestJsonSchema.safeParse(value).success) throw new HttpError(400, "the body must be a record (an object) or an array of records");
      const list = Array.isArray(value) ? value : [value];
      total = list.length;
      problems = await source.ingest(list);
    }
    return c.json({ accepted: total - problems.length, deadLettered: problems.length, problems });
  });

  // dashboard
  app.get("/events", (c) =>
    streamSSE(c, async (stream) => {
      const rows: { pipeline: string; row: ResultRow }[] = [];
      const followed = new Map<string, { pipeline: unknown; off: () => void }>();
      // follows every pipeline, including ones deployed or replaced since the page opened
      const follow = () => {
        for (const d of node.list()) {
          const f = followed.get(d.name);
          if (f?.pipeline === d.pipeline) continue;
          f?.off();
          followed.set(d.name, { pipeline: d.pipeline, off: d.pipeline.onRow((row) => void (rows.length < 200 && rows.push({ pipeline: d.name, row }))) });
        }
      };
      stream.onAbort(() => {
        for (const f of followed.values()) f.off();
      });
      while (!stream.aborted && !stream.closed) {
        follow();
        await stream.writeSSE({ event: "metrics", data: JSON.stringify({ time: Date.now(), pipelines: node.list().map(summary) }) });
        if (rows.length > 0) await stream.writeSSE({ event: "rows", data: JSON.stringify(rows.splice(0)) });
        await stream.sleep(1000);
      }
    }),
  );
  app.get("/", (c) => c.html(readFileSync(assetPath("index.html"), "utf8")));
  const assets: Record<string, [string, string]> = {
    "dashboard.js": [assetPath("dashboard.js"), "text/javascript"],
    "dashboard.css": [assetPath("dashboard.css"), "text/css"],
    "uplot.js": [assetPath("uplot.js", true), "text/javascript"],
    "uplot.css": [assetPath("uplot.css", true), "text/css"],
  };
  app.get("/assets/:file", (c) => {
    const a = assets[c.req.param("file")];
    if (!a) throw new NotFoundError(`no asset ${c.req.param("file")}`);
    return c.body(readFileSync(a[0]), 200, { "content-type": `${a[1]}; charset=utf-8`, "cache-control": "max-age=300" });
  });
  return app;
}

async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `malformed JSON: ${(e as Error).message}`);
  }
}

/** A spec body: JSON or YAML text (loadSpec reads both). */
async function specText(c: Context): Promise<string> {
  const text = await c.req.text();
  if (text.trim() === "") throw new HttpError(400, "the body must hold a pipeline spec (YAML or JSON)");
  return text;
}

function modeParam(c: Context): Mode | undefined {
  const m = c.req.query("mode");
  if (m === undefined) return undefined;
  if (m !== "continuous" && m !== "micro-batch") throw new HttpError(400, `mode must be continuous or micro-batch, got "${m}"`);
  return m;
}
