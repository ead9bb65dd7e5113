import { describe, expect, it } from "vitest";
import { expectRowsClose } from "../helpers/rows.js";
import { startEdge, until, useNatsServer, type EdgeProcess } from "../helpers/edge.js";
import { spawn } from "node:child_process";
import { BIN, weir } from "../helpers/cli.js";
import { existsSync } from "node:fs";
import { decodeSummary } from "../../src/index.js";

const nats = useNatsServer();
const s = nats.files;

const AGGREGATES = `aggregate:
  n: count()
  total: sum(v)
  lo: min(v)
  hi: max(v)
  m: avg(v)
  d: count_distinct(s)
  a: approx_count_distinct(s)
  p: percentile(v, 0.5)
  pa: percentile_approx(v, 0.9)
  q: quantile(v, 0.9)`;
const SHAPE = `time: { field: ts, maxOutOfOrderness: 1h }
key: deviceId
window: { tumbling: 10s }
${AGGREGATES}
`;

/** Seeded records over 20 devices and 60 s, split at random over three edges. */
function data(seed: number) {
  let x = seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const all = Array.from({ length: 3000 }, (_, i) => ({ deviceId: `d${Math.floor(rnd() * 20)}`, ts: i * 20 + Math.floor(rnd() * 500), v: Math.round(rnd() * 10_000) / 100, s: `u${Math.floor(rnd() * 400)}` }));
  const parts: (typeof all)[] = [[], [], []];
  for (const r of all) parts[Math.floor(rnd() * 3)]!.push(r);
  return { all, parts };
}

function edgeSpec(edge: string, forward: string) {
  const input = s.write(`${edge}-in.jsonl`, []);
  return { input, spec: `name: stats\n${SHAPE}source: { file: { path: ${input} } }\nsink: { file: { path: ${s.path(`${edge}-rows.jsonl`)} } }\nforward: ${forward}\n` };
}

/** Edge names are per test: an edge resumes from its checkpoint (kept in the server's KV bucket under its name). */
function centralSpec(file: string, subject: string, edges: string[], idle = "20s") {
  return s.write(file, `name: stats\n${SHAPE.replace("maxOutOfOrderness: 1h", `maxOutOfOrderness: 1h, idleTimeout: ${idle}`)}source: { partials: { subject: "${subject}", edges: [${edges.join(", ")}] } }\nsink: { file: { path: ${s.path(file + ".out.jsonl")} } }\n`);
}

function startCentral(spec: string): EdgeProcess {
  const child = spawn(process.execPath, [BIN, "central", spec, "--nats", nats.server.url, "--name", "c"], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr!.on("data", (d: Buffer) => (log += d.toString()));
  const killer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  const exited = new Promise<number | string>((r) => child.on("exit", (code, sig) => (clearTimeout(killer), r(code ?? sig ?? "?"))));
  return {
    child,
    logs: () => log,
    exited,
    waitForLog: (text, ms = 30_000) => until(() => log.includes(text), `central log "${text}": ${log.slice(-500)}`, ms),
  };
}

/** Runs one edge over its records (a bounded file source: it forwards, ends and exits). */
async function runEdge(edge: string, records: object[], forward: string): Promise<void> {
  const { spec, input } = edgeSpec(edge, forward);
  s.write(input.split("/").pop()!, records);
  const file = s.write(`${edge}.yaml`, spec);
  const p = startEdge([file, "--nats", nats.server.url, "--name", edge, "--data-dir", s.path(`${edge}-data`)]);
  expect(await p.exited).toBe(0);
}

/** The complete lines of a JSON-lines file (a line being written as it is read is left for the next read). */
const rowsOf = (file: string) => {
  if (!existsSync(file)) return [];
  const lines = s.read(file.split("/").pop()!).split("\n");
  return lines.slice(0, -1).filter(Boolean).map((l) => JSON.parse(l));
};

/** The last revision of each (key, window), without the centre's own columns, in emission order of window end then key. */
function finalRows(rows: Record<string, unknown>[]) {
  const last = new Map<string, Record<string, unknown>>();
  for (const r of rows) last.set(`${r.deviceId}@${r.window_start}`, r);
  return [...last.values()]
    .sort((a, b) => (a.window_end as number) - (b.window_end as number) || (String(a.deviceId) < String(b.deviceId) ? -1 : String(a.deviceId) > String(b.deviceId) ? 1 : 0))
    .map(({ revision: _r, edges: _e, ...row }) => row);
}

const floats = (name: string) => name === "total" || name === "m";

/** Every row `weir run` gives over the union (end of input flushes, as it does at the edges). */
function unionRows(records: object[]): Record<string, unknown>[] {
  const spec = s.write("union.yaml", `name: stats\n${SHAPE}`);
  s.write("union-in.jsonl", records);
  expect(weir(["run", spec, "-i", s.path("union-in.jsonl"), "-o", s.path("union-out.jsonl")]).code).toBe(0);
  return rowsOf(s.path("union-out.jsonl"));
}

describe("the central merge", () => {
  it("of three edges' partials equals one node's result over the union of their records", async () => {
    const { all, parts } = data(5);
    const expected = unionRows(all);
    const central = startCentral(centralSpec("c1.yaml", "partials.one", ["e1", "e2", "e3"]));
    await central.waitForLog("central pipeline running");
    await Promise.all(["e1", "e2", "e3"].map((e, i) => runEdge(e, parts[i]!, "{ subject: partials.one, partials: true }")));
    const out = s.path("c1.yaml.out.jsonl");
    await until(() => rowsOf(out).length >= expected.length, "every merged row", 30_000);
    central.child.kill("SIGTERM");
    expect(await central.exited).toBe(0);
    const got = rowsOf(out);
    expect(got.map((r) => [r.revision, r.edges]).filter(([rev]) => rev !== 0)).toEqual([]);
    expectRowsClose(finalRows(got), expected, floats);
  }, 90_000);

  it("re-emits the windows of an edge that was offline when it sends its backlog, and counts a redelivery once", async () => {
    const { all, parts } = data(6);
    const expected = unionRows(all);
    const central = startCentral(centralSpec("c2.yaml", "partials.two", ["f1", "f2", "f3"], "800ms"));
    await central.waitForLog("central pipeline running");
    await runEdge("f1", parts[0]!, "{ subject: partials.two }");
    await runEdge("f2", parts[1]!, "{ subject: partials.two }");
    const out = s.path("c2.yaml.out.jsonl");
    // e3 says nothing: after idleTimeout the centre fires with e1 and e2
    await until(() => rowsOf(out).length > 0 && rowsOf(out).every((r) => r.edges <= 2) && rowsOf(out).length >= 18, "rows of two edges", 30_000);
    const before = rowsOf(out).length;
    const captured: Uint8Array[] = [];
    const sub = nats.nc.subscribe("partials.two", { callback: (_e, m) => captured.push(m.data) });
    await nats.nc.flush();
    await runEdge("f3", parts[2]!, "{ subject: partials.two }");
    await until(() => finalRows(rowsOf(out)).every((r, i) => r.n === expected[i]?.n) && finalRows(rowsOf(out)).length === expected.length, "windows re-emitted with e3", 30_000);
    sub.unsubscribe();
    const revised = rowsOf(out).slice(before);
    expect(revised.filter((r) => (r.revision as number) >= 1).length).toBeGreaterThan(0);
    // each re-emission is the window's next revision (windows only f3 saw start at 0)
    const seen = new Map<string, number>();
    for (const r of rowsOf(out)) {
      const k = `${r.deviceId}@${r.window_start}`;
      expect(r.revision).toBe(seen.get(k) ?? 0);
      seen.set(k, (r.revision as number) + 1);
    }
    expectRowsClose(finalRows(rowsOf(out)), expected, floats);

    // the same summaries again (a redelivery): nothing changes
    const count = rowsOf(out).length;
    for (const m of captured) nats.nc.publish("partials.two", m);
    await nats.nc.flush();
    central.child.kill("SIGTERM");
    expect(await central.exited).toBe(0);
    expect(rowsOf(out).length).toBe(count);
    // every redelivered partial was recognised: as a revision merged already, or for a window already closed
    const partials = captured.filter((m) => (decodeSummary(m) as { type: string }).type === "partial").length;
    expect(partials).toBeGreaterThan(0);
    const stopped = JSON.parse(central.logs().split("\n").find((l) => l.includes("central pipeline stopped"))!);
    expect(stopped.duplicates + stopped.late).toBe(partials);
  }, 90_000);

  it("split over two instances by key partition gives the rows of one instance over every partition", async () => {
    const { all, parts } = data(7);
    const edges = ["g1", "g2", "g3"];
    const centrals = [startCentral(centralSpec("p0.yaml", "partials.part.0", edges)), startCentral(centralSpec("p1.yaml", "partials.part.1", edges)), startCentral(centralSpec("pall.yaml", "partials.part.*", edges))];
    for (const c of centrals) await c.waitForLog("central pipeline running");
    await Promise.all(edges.map((e, i) => runEdge(e, parts[i]!, "{ subject: partials.part, partitions: 2 }")));
    const outs = ["p0", "p1", "pall"].map((f) => s.path(`${f}.yaml.out.jsonl`));
    const expected = unionRows(all);
    const done = () => {
      const [a, b, whole] = outs.map((o) => finalRows(rowsOf(o)));
      return whole!.length === expected.length && a!.length + b!.length === whole!.length;
    };
    await until(done, () => `rows of both instances (${outs.map((o) => rowsOf(o).length).join(", ")}; expected ${expected.length})`, 30_000);
    for (const c of centrals) c.child.kill("SIGTERM");
    for (const c of centrals) expect(await c.exited).toBe(0);
    const [a, b, whole] = outs.map(rowsOf);
    expect(a!.length).toBeGreaterThan(0);
    expect(b!.length).toBeGreaterThan(0);
    const keysA = new Set(a!.map((r) => r.deviceId));
    expect(b!.some((r) => keysA.has(r.deviceId))).toBe(false); // each key merged by one instance
    const merged = finalRows([...a!, ...b!]);
    expect(merged).toEqual(finalRows(whole!));
    expectRowsClose(merged, expected, floats);
  }, 90_000);
});
