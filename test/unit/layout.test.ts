import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url).pathname;

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

const importsOf = (file: string) => [...readFileSync(join(ROOT, file), "utf8").matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]!);

describe("layout", () => {
  it("src/ never imports from edge/", () => {
    const offenders = tsFiles("src").filter((f) => importsOf(f).some((i) => i.includes("/edge/") || i.startsWith("../../edge")));
    expect(offenders).toEqual([]);
  });

  it("edge/ imports src/ only through src/index.ts, src/runtime.ts, src/spec.ts or src/internal.ts", () => {
    const offenders = tsFiles("edge").flatMap((f) =>
      importsOf(f)
        .filter((i) => i.includes("/src/") && !/\/src\/(index|runtime|spec|internal)\.js$/.test(i))
        .map((i) => `${f} → ${i}`),
    );
    expect(offenders).toEqual([]);
  });

  it("bench/ imports src/ only through src/index.ts, and only bench/ imports DuckDB", () => {
    const offenders = tsFiles("bench").flatMap((f) =>
      importsOf(f)
        .filter((i) => i.includes("/src/") && !i.endsWith("/src/index.js"))
        .map((i) => `${f} → ${i}`),
    );
    expect(offenders).toEqual([]);
    const duck = [...tsFiles("src"), ...tsFiles("edge")].filter((f) => importsOf(f).some((i) => i.includes("duckdb")));
    expect(duck).toEqual([]);
  });
});
