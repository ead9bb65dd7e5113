import { jetstreamManager } from "@nats-io/jetstream";
import { pack } from "msgpackr";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEdge, until, useNatsServer, type EdgeProcess } from "../helpers/edge.js";
import { api, sse, type Api } from "../helpers/http.js";
import { freePort } from "../helpers/nats-server.js";

const TOKEN = "s3cret-token";
const nats = useNatsServer();
let edge: EdgeProcess;
let a: Api;

const SPEC = (name: string, extra = "") => `name: ${name}
time: { field: ts, maxOutOfOrderness: 0, idleTimeout: 60s }
key: deviceId
window: { tumbling: 10 }
aggregate:
  n: count()
  total: sum(v)
source:
  - { name: web, http: {} }
  - { name: bus, nats: { subject: "api.${name}" } }
sink: { nats: { subject: "out.${name}" } }
${extra}`;

beforeAll(async () => {
  const port = await freePort();
  edge = startEdge(["--http", `127.0.0.1:${port}`, "--token", TOKEN, "--nats", nats.server.url, "--name", "api1", "--data-dir", nats.files.path("edge")]);
  await edge.waitForLog("HTTP API and dashboard");
  a = api(`http://127.0.0.1:${port}`, TOKEN);
});
afterAll(async () => {
  edge?.child.kill("SIGTERM");
  expect(await edge?.exited).toBe(0);
});

describe("the HTTP API", () => {
  it("answers health, readiness and its OpenAPI document", async () => {
    expect((await a.req("GET", "/healthz")).body).toEqual({ status: "ok" });
    const ready = await a.req("GET", "/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ ready: true, nats: "connected", pipelines: [] });
    const doc = (await a.req("GET", "/openapi.json")).body;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/pipelines", "/pipelines/{name}/windows", "/ingest/{name}"]));
    // the spec schema is the one that validates deployments
    expect(doc.components.schemas.PipelineSpec.properties.window.properties).toHaveProperty("sliding");
  });

  it("requires the token on mutating endpoints and /ingest, not on reads", async () => {
    expect((await a.req("POST", "/pipelines", SPEC("nope"), { type: "application/yaml", auth: false })).status).toBe(401);
    expect((await a.req("POST", "/pipelines", SPEC("nope"), { type: "application/yaml", auth: "wrong" })).status).toBe(401);
    expect((await a.req("POST", "/ingest/nope", [], { auth: false })).status).toBe(401);
    expect((await a.req("GET", "/pipelines", undefined, { auth: false })).status).toBe(200);
  });

  it("rejects a bad spec with 400 and the field path, and malformed JSON with a reason", async () => {
    const bad = await a.req("POST", "/pipelines", { name: "bad", window: { sliding: { size: 10, slide: 20 } }, time: { field: "ts" }, aggregate: { n: "count()" }, source: { http: {} } });
    expect(bad.status).toBe(400);
    expect(bad.body.problems).toEqual([{ path: "window.sliding.slide", message: "must be <= size (10 ms)" }]);
    const unknown = await a.req("POST", "/pipelines", SPEC("u").replace("key: deviceId", "key: deviceId\nwindw: {}"), { type: "application/yaml" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.problems[0].path).toBe("windw");
    const malformed = await a.req("POST", "/pipelines/x/mode", "{mode:", { type: "application/json" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatch(/^malformed JSON: /);
    expect(JSON.stringify(malformed.body)).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
  });

  it("deploys, ingests over HTTP and NATS, streams results, answers window queries, replaces, switches mode and deletes", async () => {
    const created = await a.req("POST", "/pipelines", SPEC("p1"), { type: "application/yaml" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "p1", mode: "continuous", status: "running", origin: "api" });
    expect((await a.req("POST", "/pipelines", SPEC("p1"), { type: "application/yaml" })).status).toBe(409);
    expect((await a.req("GET", "/pipelines")).body.map((p: { name: string }) => p.name)).toEqual(["p1"]);

    const results = await sse(`${a.base}/pipelines/p1/results`);
    const natsRows: unknown[] = [];
    const sub = nats.nc.subscribe("out.p1", { callback: (_e, m) => natsRows.push(m.json()) });

    // HTTP: JSON array with one bad record, NDJSON with a bad line, msgpack
    const json = await a.req("POST", "/ingest/p1", [{ deviceId: "a", ts: 1, v: 1 }, { deviceId: "a", ts: 2, v: "x" }, { deviceId: "b", ts: 3, v: 2 }]);
    expect(json.body).toEqual({ accepted: 2, deadLettered: 1, problems: [{ index: 1, reason: "field 'v' must be a finite number, got string \"x\"" }] });
    const nd = await a.req("POST", "/ingest/p1", '{"deviceId":"a","ts":4,"v":3}\n{oops\n', { type: "application/x-ndjson" });
    expect(nd.body).toMatchObject({ accepted: 1, deadLettered: 1, problems: [{ index: 1 }] });
    const mp = await a.req("POST", "/ingest/p1", pack([{ deviceId: "b", ts: 5, v: 4 }]), { type: "application/msgpack" });
    expect(mp.body).toEqual({ accepted: 1, deadLettered: 0, problems: [] });
    expect((await a.req("POST", "/ingest/p1", "[1,", { type: "application/json" })).body.error).toMatch(/^malformed JSON/);
    // NATS: the other input; its records move the watermark past the first window with the web input's
    nats.nc.publish("api.p1", JSON.stringify([{ deviceId: "a", ts: 12, v: 10 }]));
    await a.req("POST", "/ingest/p1", [{ deviceId: "c", ts: 15, v: 5 }]);

    // queryable state: [10, 20) is open for a and c
    await until(async () => (await a.req("GET", "/pipelines/p1/windows")).body.windows.length === 2, "two open windows");
    const w = (await a.req("GET", "/pipelines/p1/windows?key=a")).body;
    expect(w.windows).toEqual([{ deviceId: "a", window_start: 10, window_end: 20, n: 1, total: 10 }]);
    expect(w.watermark).toBe(11);

    const expectedRows = [
      { deviceId: "a", window_start: 0, window_end: 10, n: 2, total: 4 },
      { deviceId: "b", window_start: 0, window_end: 10, n: 2, total: 6 },
    ];
    await until(() => results.events.filter((e) => e.event === "row").length >= 2, "rows over SSE");
    expect(results.events.filter((e) => e.event === "row").map((e) => e.data)).toEqual(expectedRows);
    await until(() => natsRows.length >= 2, "rows on NATS");
    expect(natsRows).toEqual(expectedRows);
    await results.stop();
    sub.unsubscribe();

    // counters moved
    const metrics = (await a.req("GET", "/metrics")).text;
    const series = parsePrometheus(metrics);
    expect(series.get('weir_records_in_total{pipeline="p1"}')).toBe(6);
    expect(series.get('weir_dead_lettered_total{pipeline="p1"}')).toBe(2);
    expect(series.get('weir_rows_out_total{pipeline="p1"}')).toBe(2);
    expect(series.get('weir_pipeline_up{pipeline="p1",mode="continuous",status="running"}')).toBe(1);
    expect(series.get('weir_batch_processing_seconds_count{pipeline="p1"}')).toBeGreaterThan(0);

    // switch mode: state carries over
    const switched = await a.req("POST", "/pipelines/p1/mode", { mode: "micro-batch" });
    expect(switched.body).toMatchObject({ name: "p1", mode: "micro-batch", status: "running" });
    expect((await a.req("POST", "/pipelines/p1/mode", { mode: "fast" })).status).toBe(400);
    expect((await a.req("GET", "/pipelines/p1/windows?key=c")).body.windows).toEqual([{ deviceId: "c", window_start: 10, window_end: 20, n: 1, total: 5 }]);

    // replace with another aggregate: drains, then starts with empty state from the same sources
    const replaced = await a.req("PUT", "/pipelines/p1", SPEC("p1").replace("total: sum(v)", "hi: max(v)"), { type: "application/yaml" });
    expect(replaced.status).toBe(200);
    expect((await a.req("GET", "/pipelines/p1")).body.spec).toContain("hi: max(v)");
    expect((await a.req("PUT", "/pipelines/p1", SPEC("other"), { type: "application/yaml" })).status).toBe(400);

    // deployed pipelines are kept in --data-dir
    const kept = nats.files.read("edge/pipelines/p1.json");
    expect(JSON.parse(kept).text).toContain("hi: max(v)");

    expect((await a.req("DELETE", "/pipelines/p1")).body).toEqual({ stopped: "p1" });
    expect((await a.req("GET", "/pipelines/p1")).status).toBe(404);
    expect((await a.req("POST", "/ingest/p1", [])).status).toBe(404);
    // its checkpoint stays in the node's KV bucket
    const jsm = await jetstreamManager(nats.nc);
    expect((await jsm.streams.info("KV_weir-checkpoints")).state.messages).toBeGreaterThan(0);
  }, 60_000);

  it("refuses ingest for a pipeline without an http source, and bodies over the limit", async () => {
    const spec = SPEC("p2").replace("  - { name: web, http: {} }\n", "");
    expect((await a.req("POST", "/pipelines", spec, { type: "application/yaml" })).status).toBe(201);
    expect((await a.req("POST", "/ingest/p2", [{ deviceId: "a", ts: 1 }])).status).toBe(409);
    const big = "[" + Array.from({ length: 400_000 }, () => '{"deviceId":"a","ts":1}').join(",") + "]";
    expect((await a.req("POST", "/ingest/p2", big)).status).toBe(413);
    expect((await a.req("DELETE", "/pipelines/p2")).status).toBe(200);
  });
});

/** Prometheus text → map of `name{labels}` to value; throws on a line that is not valid exposition. */
function parsePrometheus(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (-?[0-9.e+-]+|\+Inf|-Inf|NaN)$/.exec(line);
    if (!m) throw new Error(`not Prometheus text: ${line}`);
    out.set(m[1]!, Number(m[2]));
  }
  return out;
}
