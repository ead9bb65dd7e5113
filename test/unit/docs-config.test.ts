import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AGGREGATE_FUNCTIONS } from "../../src/plan/aggregate-expr.js";
import { RESERVED_COLUMNS } from "../../src/plan/resolve.js";
import { specSchema } from "../../src/plan/schema.js";

const DOC_PATH = new URL("../../docs/configuration.md", import.meta.url);

/** The parts of zod v4's internal definition this walk relies on. */
interface Def {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  out?: unknown;
  element?: unknown;
}

function defOf(schema: unknown): Def {
  return (schema as { _zod: { def: Def } })._zod.def;
}

/** Wrappers that do not change which fields a value has. */
const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "nonoptional", "catch"]);
/** Types that have no named sub-fields: a field of such a type is a leaf. */
const LEAVES = new Set(["string", "number", "boolean", "enum", "literal", "record", "any", "unknown", "transform", "bigint", "date"]);

/** Follows wrappers and pipes (`preprocess`, `transform`) to the object inside, if there is one. */
function objectShape(schema: unknown): Record<string, unknown> | null {
  const def = defOf(schema);
  if (def.type === "object") return def.shape!;
  if (WRAPPERS.has(def.type)) return objectShape(def.innerType);
  if (def.type === "pipe") return objectShape(def.in) ?? objectShape(def.out);
  if (def.type === "array") return objectShape(def.element); // a list of objects (source) documents its items' fields
  if (LEAVES.has(def.type)) return null;
  throw new Error(`docs-config test: unhandled zod type "${def.type}"; teach the walk about it`);
}

/**
 * Every field path of the spec, at every level (`source`, `source.nats`,
 * `source.nats.subject`). Records (`time.sources`, `aggregate`) are one
 * field: their keys are the user's names.
 */
function fieldPaths(schema: unknown, prefix = ""): string[] {
  const shape = objectShape(schema);
  if (shape === null) return [];
  return Object.entries(shape).flatMap(([name, child]) => {
    const path = prefix === "" ? name : `${prefix}.${name}`;
    return [path, ...fieldPaths(child, path)];
  });
}

/** Text of every inline code span of a Markdown document (fenced blocks excluded). */
function codeSpans(markdown: string): string[] {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
  return [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
}

/** True when `span` holds `path` as a whole dotted name (`time.sources` is not found in `time.sourcesX` nor `time.sources.x`). */
function mentions(span: string, path: string): boolean {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\w.$-])${escaped}($|[^\\w.$-])`).test(span);
}

describe("docs/configuration.md", () => {
  const doc = readFileSync(DOC_PATH, "utf8");
  const spans = codeSpans(doc);
  const paths = fieldPaths(specSchema);

  it("finds the spec's fields by walking the schema", () => {
    // Guards the walk itself: nested objects, short forms (preprocess) and durations (transform) are all seen.
    expect(paths).toEqual(
      expect.arrayContaining([
        "name",
        "window.tumbling.offset",
        "window.sliding.slide",
        "window.session.gap",
        "window.count.slide",
        "time.sources",
        "source.jetstream.maxInFlight",
        "source.generator.outOfOrder",
        "sink.console",
        "late.file.path",
      ]),
    );
    expect(paths).not.toContain("time.sources.maxOutOfOrderness");
    expect(new Set(paths).size).toBe(paths.length);
  });

  it("names every spec field in backticks with its full dotted path", () => {
    const missing = paths.filter((p) => !spans.some((s) => mentions(s, p)));
    expect(missing, `fields missing from docs/configuration.md (write each as \`path\`)`).toEqual([]);
  });

  it("documents every aggregate function and every reserved result column", () => {
    const missingFns = AGGREGATE_FUNCTIONS.filter((fn) => !spans.some((s) => s.startsWith(`${fn}(`)));
    expect(missingFns, "aggregate functions missing (write each as `fn(...)`)").toEqual([]);
    const missingColumns = RESERVED_COLUMNS.filter((c) => !spans.includes(c));
    expect(missingColumns, "reserved result columns missing").toEqual([]);
  });
});
