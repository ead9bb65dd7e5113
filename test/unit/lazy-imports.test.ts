/**
 * An idle `weir edge` stays small because what it may never need is loaded
 * only when used (docs/edge.md, "Sizing"): the spec loader (YAML parser and
 * spec schema, about 11 MiB) only in the short-lived process that resolves
 * the start-up specs or with a spec deployed over the API, and the HTTP API
 * with its first request. This walks the static imports of the edge
 * command's modules (type-only imports and `import()` excluded) and checks
 * that none of those is among them.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");

/** Modules reached from `entry` by static value imports: repository paths, and package names. */
function staticImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    const rel = relative(ROOT, file);
    if (seen.has(rel)) return;
    seen.add(rel);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^;]*?\sfrom\s+)?["']([^"']+)["'];?/gms)) {
      const spec = m[1]!;
      if (!spec.startsWith(".")) {
        seen.add(spec.split("/").slice(0, spec.startsWith("@") ? 2 : 1).join("/"));
        continue;
      }
      const ts = join(dirname(file), spec).replace(/\.js$/, ".ts");
      if (existsSync(ts)) visit(ts);
    }
  };
  visit(join(ROOT, entry));
  return seen;
}

describe("what an idle weir edge loads", () => {
  const loaded = staticImports("edge/cli/edge-command.ts");

  it("reaches the pipeline runtime and the NATS sources", () => {
    // guards the walk itself
    expect(loaded).toContain("edge/runtime/edge-node.ts");
    expect(loaded).toContain("edge/nats/core-source.ts");
    expect(loaded).toContain("src/runtime.ts");
  });

  it("does not load the spec loader or the HTTP API until they are used", () => {
    const unwanted = ["yaml", "zod", "hono", "src/spec.ts", "src/index.ts", "src/plan/schema.ts", "edge/http/app.ts"];
    expect(unwanted.filter((m) => loaded.has(m))).toEqual([]);
  });
});
