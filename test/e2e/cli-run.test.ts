import { existsSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scratch, weir } from "../helpers/cli.js";

const SPEC = `name: cli-test
time: { field: ts, maxOutOfOrderness: 2 }
key: k
window: { tumbling: 10 }
aggregate:
  n: count()
  total: sum(v)
`;

let s: ReturnType<typeof scratch>;
beforeEach(() => {
  s = scratch();
  s.write("spec.yaml", SPEC);
});
afterEach(() => s.cleanup());

describe("weir run", () => {
  it("replays a file and writes result rows as JSON lines", () => {
    s.write("in.jsonl", [
      { k: "a", ts: 1, v: 1 },
      { k: "b", ts: 3, v: 2 },
      { k: "a", ts: 12, v: 3 },
    ]);
    const r = weir(["run", s.path("spec.yaml"), "--input", s.path("in.jsonl"), "--output", s.path("out.jsonl")]);
    expect(r.stderr).toMatch(/weir run: 3 records in, 3 rows out, 0 late, 0 dead-lettered, [\d.]+ s \(continuous, 1 file, wasm kernel\)/);
    expect(r.code).toBe(0);
    expect(s.readJsonl("out.jsonl")).toEqual([
      { k: "a", window_start: 0, window_end: 10, n: 1, total: 1 },
      { k: "b", window_start: 0, window_end: 10, n: 1, total: 2 },
      { k: "a", window_start: 10, window_end: 20, n: 1, total: 3 },
    ]);
  });

  it("annotates rows with emitted_at, and writes late records as they came in", () => {
    const lines = ['{"k":"a","ts":1,"v":1}', '{"k":"a","ts":30,"v":2}', '{ "k" : "a", "ts": 2, "v": 3.50 }'];
    s.write("in.jsonl", lines.join("\n"));
    const r = weir(["run", s.path("spec.yaml"), "-i", s.path("in.jsonl"), "-o", s.path("out.jsonl"), "--annotate", "--late-output", s.path("late.jsonl")]);
    expect(r.code).toBe(0);
    expect(s.readJsonl("out.jsonl")).toEqual([
      { k: "a", window_start: 0, window_end: 10, n: 1, total: 1, emitted_at: 1 },
      { k: "a", window_start: 30, window_end: 40, n: 1, total: 2, emitted_at: "eoi" },
    ]);
    expect(s.read("late.jsonl")).toBe(lines[2] + "\n");
  });

  it("makes each input file one batch in micro-batch mode", () => {
    s.write("b0.jsonl", [{ k: "a", ts: 20 }, { k: "a", ts: 5 }]);
    s.write("b1.jsonl", [{ k: "a", ts: 6 }]);
    const r = weir(["run", s.path("spec.yaml"), "--input", s.path("b0.jsonl"), "--input", s.path("b1.jsonl"), "--output", s.path("out.jsonl"), "--mode", "micro-batch", "--annotate"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/micro-batch, 2 files/);
    // batch 0 keeps a@5 (judged against W = -inf) and closes [0,10) at its end; a@6 is then late
    expect(s.readJsonl("out.jsonl")).toEqual([
      { k: "a", window_start: 0, window_end: 10, n: 1, total: null, emitted_at: 0 },
      { k: "a", window_start: 20, window_end: 30, n: 1, total: null, emitted_at: "eoi" },
    ]);
    expect(r.stderr).toContain("1 late");
  });

  it("counts malformed lines, dead-letters them with file and line, and keeps going", () => {
    s.write("in.jsonl", ['{"k":"a","ts":1,"v":1}', "{not json", "", '{"k":"a"}', '{"k":"a","ts":2,"v":"x"}', '{"k":"a","ts":3,"v":2}'].join("\n"));
    const r = weir(["run", s.path("spec.yaml"), "--input", s.path("in.jsonl"), "--output", s.path("out.jsonl")]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${s.path("in.jsonl")}:2: invalid JSON`);
    expect(r.stderr).toMatch(/2 records in, 1 rows out, 0 late, 3 dead-lettered \(see .*out\.dead-letter\.jsonl\)/);
    expect(s.readJsonl("out.jsonl")).toEqual([{ k: "a", window_start: 0, window_end: 10, n: 2, total: 3 }]);
    const dead = s.readJsonl("out.dead-letter.jsonl");
    expect(dead.map((d) => [d.line, d.reason])).toEqual([
      [2, expect.stringMatching(/^invalid JSON/)],
      [4, "missing time field 'ts'"],
      [5, 'field \'v\' must be a finite number, got string "x"'],
    ]);
    expect(dead[0]).toMatchObject({ file: s.path("in.jsonl"), record: "{not json" });
  });

  it("writes the dead-letter file where --dead-letter says, and none when every line is good", () => {
    s.write("in.jsonl", ["oops"].join("\n"));
    expect(weir(["run", s.path("spec.yaml"), "-i", s.path("in.jsonl"), "-o", s.path("out.jsonl"), "--dead-letter", s.path("bad.jsonl")]).code).toBe(0);
    expect(s.readJsonl("bad.jsonl")).toHaveLength(1);
    s.write("good.jsonl", [{ k: "a", ts: 1 }]);
    expect(weir(["run", s.path("spec.yaml"), "-i", s.path("good.jsonl"), "-o", s.path("out2.jsonl")]).code).toBe(0);
    expect(existsSync(s.path("out2.dead-letter.jsonl"))).toBe(false);
  });

  it("exits 2 with the field path on a bad spec", () => {
    s.write("bad.yaml", SPEC.replace("tumbling: 10", "sliding: { size: 10, slide: 20 }"));
    s.write("in.jsonl", [{ k: "a", ts: 1 }]);
    const r = weir(["run", s.path("bad.yaml"), "--input", s.path("in.jsonl"), "--output", s.path("out.jsonl")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("window.sliding.slide: must be <= size (10 ms)");
  });

  it("exits 2 on bad arguments and a missing spec file", () => {
    expect(weir(["run", s.path("spec.yaml"), "--output", s.path("o.jsonl")])).toMatchObject({ code: 2, stderr: expect.stringContaining("--input is required") });
    expect(weir(["run", s.path("spec.yaml"), "-i", "x", "-o", "y", "--mode", "fast"]).code).toBe(2);
    expect(weir(["run", s.path("spec.yaml"), "-i", "x", "-o", "y", "--bogus"]).code).toBe(2);
    expect(weir(["run", s.path("nope.yaml"), "-i", "x", "-o", "y"])).toMatchObject({ code: 2, stderr: expect.stringContaining("cannot read spec file") });
    expect(weir(["run", s.path("spec.yaml"), "-i", "x", "-o", "y", "--kernel", "gpu"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--kernel must be wasm or ts") });
    expect(weir(["frobnicate"]).code).toBe(2);
  });

  it("exits 1 naming a missing input file, before writing anything", () => {
    const r = weir(["run", s.path("spec.yaml"), "--input", s.path("missing.jsonl"), "--output", s.path("out.jsonl")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot read input ${s.path("missing.jsonl")}: no such file`);
    expect(existsSync(s.path("out.jsonl"))).toBe(false);
  });

  it("lets --mode override the spec's mode", () => {
    s.write("spec2.yaml", SPEC + "mode: micro-batch\n");
    s.write("in.jsonl", [{ k: "a", ts: 1 }]);
    const r = weir(["run", s.path("spec2.yaml"), "-i", s.path("in.jsonl"), "-o", s.path("out.jsonl"), "--mode", "continuous"]);
    expect(r.stderr).toContain("(continuous, 1 file, wasm kernel)");
  });

  it("gives the same rows with --kernel ts and --kernel wasm, and reports the state each held", () => {
    const records = Array.from({ length: 300 }, (_, i) => ({ k: `k${i % 7}`, ts: i * 0.5 + (i % 5 === 0 ? -3 : 0), v: i }));
    s.write("in.jsonl", records);
    s.write("spec-hold.yaml", SPEC + "endOfInput: hold\n");
    const outputs = (["ts", "wasm"] as const).map((kernel) => {
      const out = s.path(`out-${kernel}.jsonl`);
      const r = weir(["run", s.path("spec-hold.yaml"), "-i", s.path("in.jsonl"), "-o", out, "--annotate", "--kernel", kernel]);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`(continuous, 1 file, ${kernel} kernel)`);
      // held at the end: the last window (ts 140..149.5, 7 keys) is still open
      expect(r.stderr).toMatch(/state: 7 open windows, [\d.]+ (B|KiB) \(peak \d+, [\d.]+ (B|KiB)\)/);
      return s.read(`out-${kernel}.jsonl`);
    });
    expect(outputs[0]!.split("\n").length).toBeGreaterThan(50);
    expect(outputs[1]).toBe(outputs[0]);
  });
});
