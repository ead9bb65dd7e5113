import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { scratch, weir } from "../helpers/cli.js";
import { expectRowsClose } from "../helpers/rows.js";

const ROOT = new URL("../../examples/", import.meta.url).pathname;
// a folder with a spec.yaml and its input is a golden example (central/ is a multi-process walkthrough)
const examples = readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(ROOT, d.name, "spec.yaml"))).map((d) => d.name);
const s = scratch();
afterAll(() => s.cleanup());

const lines = (text: string) => text.split("\n").filter((l) => l !== "");

describe("examples/ (golden files)", () => {
  it("has at least three examples", () => expect(examples.length).toBeGreaterThanOrEqual(3));

  for (const ex of examples) {
    it(`${ex}: weir run reproduces expected.jsonl`, () => {
      const dir = join(ROOT, ex);
      const inputs = readdirSync(dir).filter((f) => /^(input|batch-\d+).*\.jsonl$/.test(f)).sort();
      const args = ["run", join(dir, "spec.yaml"), ...inputs.flatMap((f) => ["--input", join(dir, f)]), "--output", s.path(`${ex}.jsonl`), "--annotate"];
      args.push("--late-output", s.path(`${ex}.late.jsonl`));
      const r = weir(args);
      expect(r.stderr).not.toContain("dead-lettered (see");
      expect(r.code).toBe(0);
      const rows = lines(s.read(`${ex}.jsonl`)).map((l) => JSON.parse(l));
      const expected = lines(readFileSync(join(dir, "expected.jsonl"), "utf8")).map((l) => JSON.parse(l));
      const aggregates = (parse(readFileSync(join(dir, "spec.yaml"), "utf8")) as { aggregate: Record<string, string> }).aggregate;
      expectRowsClose(rows, expected, (name) => /^\s*(sum|avg)\(/.test(aggregates[name] ?? ""));
      const lateFile = join(dir, "expected-late.jsonl");
      expect(s.read(`${ex}.late.jsonl`)).toBe(existsSync(lateFile) ? readFileSync(lateFile, "utf8") : "");
    });
  }
});
