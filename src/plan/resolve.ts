/**
 * Spec → plan: the system boundary where raw config becomes a frozen,
 * typed {@link PipelinePlan}. Field types come from the schema; the rules
 * that span several fields (slide <= size, emit modes per window kind and
 * mode) are checked here, each reported with the path of the field to fix.
 */
import { SpecError, type SpecProblem } from "../errors.js";
import { parseAggregate } from "./aggregate-expr.js";
import { freezePlan, type AggregatePlan, type Mode, type NamedSource, type PipelinePlan, type TimePlan, type WindowPlan } from "./plan.js";
import { issueMessage, sinkSchema, sourceSchema, specSchema, type ParsedSpec, type SourceSpec } from "./schema.js";

/** Values that take precedence over the spec (the CLI's `--mode`, a name from the file name). */
export interface SpecOverrides {
  mode?: Mode;
  /** Used when the spec has no `name`. */
  defaultName?: string;
}

/** Output columns every row may carry besides the aggregates. */
export const RESERVED_COLUMNS = ["window_start", "window_end", "window_seq", "emitted_at", "revision", "edges"] as const;

/**
 * Validates a spec object (already parsed from YAML/JSON) and resolves it.
 * @throws SpecError listing every problem with its field path.
 * @example resolveSpec({ window: { tumbling: "10s" }, time: { field: "ts" }, aggregate: { n: "count()" } })
 */
export function resolveSpec(input: unknown, overrides: SpecOverrides = {}): PipelinePlan {
  const parsed = specSchema.safeParse(input, { error: issueMessage });
  if (!parsed.success) {
    const problems: SpecProblem[] = [];
    const singleSource = isRecord(input) && isRecord(input.source);
    for (const iss of parsed.error.issues) {
      const path = singleSource && iss.path[0] === "source" && iss.path[1] === 0 ? ["source", ...iss.path.slice(2)] : iss.path;
      const base = path.map(String).join(".");
      if (iss.code === "unrecognized_keys") {
        for (const k of iss.keys) problems.push({ path: base === "" ? k : `${base}.${k}`, message: iss.message });
      } else {
        problems.push({ path: base, message: iss.message });
      }
    }
    throw new SpecError(problems);
  }
  const problems: SpecProblem[] = [];
  const plan = buildPlan(parsed.data, overrides, problems);
  if (problems.length > 0) throw new SpecError(problems);
  return freezePlan(plan);
}

function buildPlan(s: ParsedSpec, o: SpecOverrides, problems: SpecProblem[]): PipelinePlan {
  const fail = (path: string, message: string) => problems.push({ path, message });
  const mode: Mode = o.mode ?? s.mode ?? "continuous";
  const window = resolveWindow(s.window, fail);
  const key = s.key ?? [];
  key.forEach((k, i) => {
    if (key.indexOf(k) !== i) fail(`key.${i}`, `"${k}" is listed twice`);
    else if ((RESERVED_COLUMNS as readonly string[]).includes(k)) fail(`key.${i}`, `"${k}" is a result column name; a key field cannot use it`);
  });
  const sources = resolveSources(s.source ?? [], fail);
  if (s.sink) exactlyOne(s.sink, "sink", Object.keys(sinkSchema.shape), fail);
  if (s.late) exactlyOne(s.late, "late", Object.keys(sinkSchema.shape), fail);
  if (s.deadLetter) exactlyOne(s.deadLetter, "deadLetter", Object.keys(sinkSchema.shape), fail);

  let time: TimePlan | null = null;
  if (s.time) {
    const sources_: Record<string, { maxOutOfOrderness: number }> = {};
    for (const [n, src] of Object.entries(s.time.sources ?? {})) {
      if (n === "") fail("time.sources", "an input name must not be empty");
      sources_[n] = { maxOutOfOrderness: src.maxOutOfOrderness ?? s.time.maxOutOfOrderness ?? 0 };
    }
    if (sources.length > 1) {
      // each live source is an input with its own watermark
      if (s.time.sourceField) fail("time.sourceField", "cannot be used with several sources: each source is an input (name them with source[i].name)");
      for (const src of sources) sources_[src.name] ??= { maxOutOfOrderness: s.time.maxOutOfOrderness ?? 0 };
      for (const n of Object.keys(s.time.sources ?? {})) {
        if (!sources.some((src) => src.name === n)) fail(`time.sources.${n}`, `no source is named "${n}" (sources: ${sources.map((x) => x.name).join(", ")})`);
      }
    } else if (s.time.sources && !s.time.sourceField) {
      fail("time.sources", "needs time.sourceField, the record field that names each input (or several sources)");
    }
    time = {
      field: s.time.field,
      maxOutOfOrderness: s.time.maxOutOfOrderness ?? 0,
      idleTimeout: s.time.idleTimeout ?? null,
      sourceField: s.time.sourceField ?? null,
      sources: sources_,
      policy: s.time.policy ?? "min",
    };
  } else if (window && window.kind !== "count") {
    fail("time", `required for ${window.kind} windows: name the event-time field, e.g. time: { field: ts }`);
  }

  const mergeable = window?.kind === "tumbling" || window?.kind === "sliding";
  if (s.forward && window && !mergeable) fail("forward", `${window.kind} windows cannot be merged across edges (each edge has its own ${window.kind === "count" ? "numbering" : "session bounds"}): use tumbling or sliding windows`);
  if (sources.some((x) => x.partials)) {
    if (sources.length > 1) fail("source", "a partials source merges edge summaries and cannot be combined with other sources");
    if (window && !mergeable) fail("window", `${window.kind} windows cannot be merged across edges: use the edges' tumbling or sliding window`);
    if (s.forward) fail("forward", "a central pipeline (partials source) does not forward partials again");
  }

  const emit = s.emit ?? "final";
  if (window?.kind === "count" && emit !== "final") {
    fail("emit", `count windows fire only when full and are never emitted incomplete: use emit: final (got ${emit})`);
  } else if (emit === "complete" && mode === "continuous") {
    fail("emit", "complete re-emits every window after each batch: it needs mode: micro-batch");
  } else if (emit === "update" && window?.kind === "session") {
    fail("emit", "update cannot be used with session windows (merged sessions change their bounds); use final");
  }

  const compat = s.compat ?? "none";
  const aggregates: AggregatePlan[] = [];
  const taken = new Set<string>([...key, ...RESERVED_COLUMNS]);
  if (Object.keys(s.aggregate).length === 0) fail("aggregate", "needs at least one aggregate, e.g. n: count()");
  for (const [name, expr] of Object.entries(s.aggregate)) {
    const a = parseAggregate(name, expr);
    if (typeof a === "string") fail(`aggregate.${name}`, a);
    else if (taken.has(name)) fail(`aggregate.${name}`, `the name clashes with ${key.includes(name) ? "a key field" : "a result column"}; rename it`);
    else aggregates.push(a);
  }

  return {
    name: s.name ?? o.defaultName ?? "pipeline",
    mode,
    trigger: s.trigger ?? 1000,
    time,
    key,
    window: window ?? { kind: "tumbling", size: 1, slide: 1, offset: 0 },
    allowedLateness: s.allowedLateness ?? 0,
    emit,
    endOfInput: s.endOfInput ?? (compat === "spark" ? "hold" : "flush"),
    compat,
    aggregates,
    sources,
    sink: s.sink ?? null,
    late: s.late ?? null,
    deadLetter: s.deadLetter ?? null,
    checkpointInterval: s.checkpoint?.interval ?? 10_000,
    forward: s.forward ?? null,
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function exactlyOne(v: object, path: string, allowed: string[], fail: (path: string, msg: string) => void): void {
  const kinds = Object.entries(v).filter(([, x]) => x !== undefined).map(([k]) => k);
  if (kinds.length !== 1) fail(path, `needs exactly one of ${allowed.join(", ")}${kinds.length ? ` (got ${kinds.join(", ")})` : ""}`);
}

function resolveWindow(w: ParsedSpec["window"], fail: (path: string, msg: string) => void): WindowPlan | null {
  const kinds = Object.entries(w).filter(([, x]) => x !== undefined);
  if (kinds.length !== 1) {
    exactlyOne(w, "window", ["tumbling", "sliding", "session", "count"], fail);
    return null;
  }
  if (w.tumbling) {
    const { size, offset = 0 } = w.tumbling;
    if (Math.abs(offset) >= size) fail("window.tumbling.offset", `must be smaller than size (${size} ms) in absolute value`);
    return { kind: "tumbling", size, slide: size, offset };
  }
  if (w.sliding) {
    const { size, slide, offset = 0 } = w.sliding;
    if (slide > size) fail("window.sliding.slide", `must be <= size (${size} ms)`);
    else if (Math.abs(offset) >= slide) fail("window.sliding.offset", `must be smaller than slide (${slide} ms) in absolute value`);
    return { kind: "sliding", size, slide, offset };
  }
  if (w.session) return { kind: "session", gap: w.session.gap };
  const c = w.count!;
  const slide = c.slide ?? c.size;
  if (slide > c.size) fail("window.count.slide", `must be <= size (${c.size})`);
  return { kind: "count", size: c.size, slide };
}

/** Each source gets its input name: given, or from its kind (stream, subject, file, "generator"). */
function resolveSources(list: SourceSpec[], fail: (path: string, msg: string) => void): NamedSource[] {
  const out: NamedSource[] = [];
  const seen = new Set<string>();
  list.forEach((src, i) => {
    const path = list.length === 1 ? "source" : `source.${i}`;
    const kinds = Object.keys(sourceSchema.shape).filter((k) => k !== "name");
    exactlyOne({ ...src, name: undefined }, path, kinds, fail);
    const derived = src.jetstream?.stream ?? src.nats?.subject ?? src.file?.path ?? src.partials?.subject ?? (src.generator ? "generator" : src.http ? "http" : "");
    const n = list.length === 1 ? (src.name ?? "") : (src.name ?? derived);
    if (list.length > 1 && seen.has(n)) fail(`${path}.name`, `two sources are named "${n}": give each a distinct name`);
    seen.add(n);
    out.push({ ...src, name: n });
  });
  return out;
}
