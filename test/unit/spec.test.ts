import { describe, expect, it } from "vitest";
import { loadSpec, pipeline, resolveSpec, SpecError } from "../../src/index.js";

const base = { name: "t", time: { field: "ts" }, key: "k", window: { tumbling: "10s" }, aggregate: { n: "count()" } };

function problems(spec: unknown, mode?: "continuous" | "micro-batch"): string[] {
  try {
    resolveSpec(spec, { mode });
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as SpecError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error("spec was accepted");
}

describe("pipeline spec", () => {
  it("resolves durations with units and fills defaults", () => {
    const p = resolveSpec({ ...base, time: { field: "ts", maxOutOfOrderness: "2s", idleTimeout: "1m" }, allowedLateness: "250ms" });
    expect(p.window).toEqual({ kind: "tumbling", size: 10_000, slide: 10_000, offset: 0 });
    expect(p.time).toEqual({ field: "ts", maxOutOfOrderness: 2000, idleTimeout: 60_000, sourceField: null, sources: {}, policy: "min" });
    expect(p).toMatchObject({ mode: "continuous", trigger: 1000, allowedLateness: 250, emit: "final", endOfInput: "flush", compat: "none", key: ["k"] });
    expect(Object.isFrozen(p.window)).toBe(true);
  });

  it("rejects window parameters that SEMANTICS.md forbids, naming the field", () => {
    expect(problems({ ...base, window: { sliding: { size: "1m", slide: "2m" } } })).toEqual(["window.sliding.slide: must be <= size (60000 ms)"]);
    expect(problems({ ...base, window: { sliding: { size: 10, slide: 5, offset: -5 } } })).toEqual([
      "window.sliding.offset: must be smaller than slide (5 ms) in absolute value",
    ]);
    expect(problems({ ...base, window: { tumbling: 0 } })).toEqual(["window.tumbling.size: must be at least 1 ms"]);
    expect(problems({ ...base, window: { sliding: { size: 10, slide: -1 } } })).toEqual(["window.sliding.slide: must be at least 1 ms"]);
    expect(problems({ ...base, window: { tumbling: { size: 10, offset: 10 } } })).toEqual([
      "window.tumbling.offset: must be smaller than size (10 ms) in absolute value",
    ]);
    expect(problems({ ...base, window: {} })).toEqual(["window: needs exactly one of tumbling, sliding, session, count"]);
    expect(problems({ ...base, window: { count: { size: 2, slide: 3 } } })).toEqual(["window.count.slide: must be <= size (2)"]);
  });

  it("takes one source or a list, naming each input, with paths to bad fields", () => {
    const one = resolveSpec({ ...base, source: { jetstream: { stream: "S", subjects: ["s.>"] } } });
    expect(one.sources.map((x) => x.name)).toEqual([""]);
    const two = resolveSpec({ ...base, source: [{ jetstream: { stream: "S" } }, { name: "b", nats: { subject: "b.>" } }], time: { field: "ts", sources: { b: { maxOutOfOrderness: 5 } } } });
    expect(two.sources.map((x) => x.name)).toEqual(["S", "b"]);
    expect(two.time!.sources).toEqual({ S: { maxOutOfOrderness: 0 }, b: { maxOutOfOrderness: 5 } });
    expect(problems({ ...base, source: { nats: { subjct: "x" } } })).toEqual(["source.nats.subject: required", "source.nats.subjct: unknown field (allowed: subject, queue, codec, maxPending, connection)"]);
    expect(problems({ ...base, source: [{ nats: { subject: "a" } }, { nats: {} }] })).toEqual(["source.1.nats.subject: required"]);
    expect(problems({ ...base, source: [{ nats: { subject: "a" } }, { nats: { subject: "a" } }] })).toEqual(['source.1.name: two sources are named "a": give each a distinct name']);
    expect(problems({ ...base, source: {} })).toEqual(["source: needs exactly one of nats, jetstream, file, http, partials, generator"]);
    expect(problems({ ...base, source: [{ nats: { subject: "a" } }, { nats: { subject: "b" } }], time: { field: "ts", sources: { c: {} } } })).toEqual([
      'time.sources.c: no source is named "c" (sources: a, b)',
    ]);
    expect(problems({ ...base, checkpoint: { interval: 10 } })).toEqual(["checkpoint.interval: must be at least 100 ms"]);
    const publish = "must be a subject to publish to: no spaces, no empty token, no wildcard (* or >)";
    expect(problems({ ...base, sink: { nats: { subject: "rows.*" } } })).toEqual([`sink.nats.subject: ${publish}`]);
    expect(problems({ ...base, late: { jetstream: { stream: "L", subject: "late stats" } } })).toEqual([`late.jetstream.subject: ${publish}`]);
    expect(problems({ ...base, forward: { subject: "partials..x" } })).toEqual([`forward.subject: ${publish}`]);
    expect(resolveSpec({ ...base, source: { nats: { subject: "in.>" } }, sink: { nats: { subject: "rows.site-a" } } }).sink?.nats?.subject).toBe("rows.site-a");
    expect(problems({ ...base, window: { count: 5 }, forward: { subject: "p" } })[0]).toMatch(/^forward: count windows cannot be merged across edges/);
    expect(problems({ ...base, source: [{ partials: { subject: "p" } }, { http: {} }] })).toEqual(["source: a partials source merges edge summaries and cannot be combined with other sources"]);
    expect(problems({ ...base, aggregate: { revision: "count()" } })).toEqual(["aggregate.revision: the name clashes with a result column; rename it"]);
  });

  it("reports unknown fields with their path and the allowed names", () => {
    expect(problems({ ...base, windw: {} })[0]).toMatch(/^windw: unknown field \(allowed: name, mode,/);
    expect(problems({ ...base, window: { tumbling: { size: 10, ofset: 1 } } })).toEqual([
      "window.tumbling.ofset: unknown field (allowed: size, offset)",
    ]);
  });

  it("reports bad values with what is allowed", () => {
    expect(problems({ ...base, time: { field: "ts", maxOutOfOrderness: "2 sec" } })).toEqual([
      'time.maxOutOfOrderness: "2 sec" is not a duration (use a number of ms or 250ms, 2s, 1m, 1h, 1d)',
    ]);
    expect(problems({ ...base, emit: "sometimes" })[0]).toMatch(/^emit: /);
    expect(problems({ ...base, aggregate: { n: "avgg(x)" } })[0]).toMatch(/^aggregate\.n: unknown function avgg\(\) \(known: count, sum/);
    // names of Object.prototype are not functions either
    expect(problems({ ...base, aggregate: { n: "constructor(x)", m: "__proto__(x)" } })).toEqual([
      expect.stringMatching(/^aggregate\.n: unknown function constructor\(\)/),
      expect.stringMatching(/^aggregate\.m: unknown function __proto__\(\)/),
    ]);
    // a file is read as JSON lines: a msgpack codec would be read wrongly, so it is refused
    expect(problems({ ...base, source: { file: { path: "in.bin", codec: "msgpack" } } })).toEqual([
      'source.file.codec: a file is read as JSON lines (one record per line): only "json" is accepted',
    ]);
    expect(resolveSpec({ ...base, source: { file: { path: "in.jsonl", codec: "json" } } }).sources).toHaveLength(1);
    expect(problems({ ...base, aggregate: { s: "stddev()" } })[0]).toBe("aggregate.s: stddev() needs a field, e.g. stddev(temp)");
    expect(problems({ ...base, aggregate: { p: "percentile(x, 1.5)" } })).toEqual(["aggregate.p: p must be between 0 and 1"]);
    expect(problems({ ...base, aggregate: { k: "count()" } })).toEqual(["aggregate.k: the name clashes with a key field; rename it"]);
    expect(problems({ ...base, time: undefined })).toEqual(["time: required for tumbling windows: name the event-time field, e.g. time: { field: ts }"]);
    expect(problems({ ...base, window: undefined })).toEqual(["window: required"]);
  });

  it("rejects emit modes that make no sense for the window kind or mode", () => {
    expect(problems({ ...base, emit: "complete" }, "continuous")).toEqual(["emit: complete re-emits every window after each batch: it needs mode: micro-batch"]);
    expect(resolveSpec({ ...base, emit: "complete" }, { mode: "micro-batch" }).emit).toBe("complete");
    expect(problems({ ...base, emit: "update", window: { session: "5s" } })[0]).toMatch(/^emit: update cannot be used with session windows/);
    expect(problems({ ...base, emit: "update", window: { count: 5 } })[0]).toMatch(/^emit: count windows fire only when full/);
  });

  it("loads YAML and JSON, and reports syntax errors with their line", () => {
    const yaml = "name: t\ntime: { field: ts }\nkey: k\nwindow: { tumbling: 10s }\naggregate:\n  n: count()\n";
    expect(loadSpec(yaml).window).toEqual({ kind: "tumbling", size: 10_000, slide: 10_000, offset: 0 });
    expect(loadSpec(JSON.stringify(base)).name).toBe("t");
    expect(() => loadSpec("name: [unclosed\nkey: x")).toThrow(/not valid YAML or JSON at line/);
  });

  it("builds the same plan from the fluent API as from the spec", () => {
    const yaml = `
name: sensor-stats
mode: micro-batch
trigger: 500ms
time:
  field: ts
  maxOutOfOrderness: 2s
  idleTimeout: 30s
key: [site, deviceId]
window: { sliding: { size: 1m, slide: 10s, offset: 1s } }
allowedLateness: 5s
emit: update
endOfInput: hold
aggregate:
  n: count()
  avg_temp: avg(temp)
  p99: quantile(temp, 0.99)
  sensors: approx_count_distinct(sensorId)
`;
    const fromApi = pipeline("sensor-stats")
      .mode("micro-batch")
      .trigger("500ms")
      .eventTime("ts", { maxOutOfOrderness: "2s", idleTimeout: 30_000 })
      .key("site", "deviceId")
      .sliding("1m", "10s", { offset: "1s" })
      .allowedLateness(5000)
      .emit("update")
      .endOfInput("hold")
      .aggregate({ n: "count()", avg_temp: "avg(temp)" })
      .aggregate({ p99: "quantile(temp, 0.99)", sensors: "approx_count_distinct(sensorId)" })
      .build();
    expect(fromApi).toEqual(loadSpec(yaml));
  });

  it("lets the CLI mode override the spec's", () => {
    expect(resolveSpec({ ...base, mode: "continuous" }, { mode: "micro-batch" }).mode).toBe("micro-batch");
  });
});
