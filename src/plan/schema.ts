/**
 * The pipeline spec schema: the one place that says which fields exist,
 * their types and defaults. YAML, JSON and the fluent API all pass through
 * it; `resolve.ts` then checks the rules that span several fields.
 * `docs/configuration.md` documents every field named here (a test checks).
 */
import { z } from "zod";
import { parseDuration } from "./duration.js";
import { publishableSubject, PUBLISH_SUBJECT_RULE } from "./subjects.js";

/** A strict object whose unknown-field error lists the allowed fields. */
function obj<T extends z.ZodRawShape>(shape: T) {
  const names = Object.keys(shape);
  const msg = names.length === 0 ? "unknown field (this object takes no fields)" : `unknown field (allowed: ${names.join(", ")})`;
  return z.strictObject(shape, { error: (iss) => (iss.code === "unrecognized_keys" ? msg : undefined) });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Accepts the short form `kind: value` as `{ [field]: value }`. */
function shorthand<S extends z.ZodType>(field: string, schema: S) {
  return z.preprocess((v) => (isPlainObject(v) ? v : { [field]: v }), schema);
}

/** A duration in ms or with a unit; `min` is the smallest allowed value. */
function duration(opts: { min?: number; negative?: boolean } = {}) {
  return z.any().transform((v, ctx): number => {
    const r = parseDuration(v);
    if (typeof r === "string") {
      ctx.addIssue({ code: "custom", message: r, input: v });
      return z.NEVER;
    }
    const min = opts.negative ? -Infinity : (opts.min ?? 0);
    if (r < min) {
      ctx.addIssue({ code: "custom", message: min === 0 ? "must not be negative" : `must be at least ${min} ms`, input: v });
      return z.NEVER;
    }
    return r;
  });
}

const positiveInt = z.number().int("must be a whole number").positive("must be > 0");
const name = z.string().min(1, "must not be empty");
/** A subject that messages are published to (sinks, forwarding). */
const publishSubject = name.refine(publishableSubject, PUBLISH_SUBJECT_RULE);
const codec = z.enum(["json", "msgpack"]);

const windowSchema = obj({
  tumbling: shorthand("size", obj({ size: duration({ min: 1 }), offset: duration({ negative: true }).optional() })).optional(),
  sliding: obj({
    size: duration({ min: 1 }),
    slide: duration({ min: 1 }),
    offset: duration({ negative: true }).optional(),
  }).optional(),
  session: shorthand("gap", obj({ gap: duration({ min: 1 }) })).optional(),
  count: shorthand("size", obj({ size: positiveInt, slide: positiveInt.optional() })).optional(),
});

const timeSchema = obj({
  field: name,
  maxOutOfOrderness: duration().optional(),
  idleTimeout: duration({ min: 1 }).optional(),
  sourceField: name.optional(),
  sources: z.record(z.string(), obj({ maxOutOfOrderness: duration().optional() })).optional(),
  policy: z.enum(["min", "max"]).optional(),
});

/** How a NATS source reads or a core NATS sink publishes: its own connection (no message object per message) or the node's shared nats.js client. */
const natsConnection = z.enum(["own", "shared"]);

/** Where records come from when a pipeline runs live (replay reads files instead). */
export const sourceSchema = obj({
  /** The input's name (its own watermark, `time.sources`); only needed with several sources. */
  name: name.optional(),
  nats: obj({ subject: name, queue: name.optional(), codec: codec.optional(), maxPending: positiveInt.optional(), connection: natsConnection.optional() }).optional(),
  jetstream: obj({
    stream: name,
    subjects: z.array(name).min(1).optional(),
    durable: name.optional(),
    create: z.boolean().optional(),
    codec: codec.optional(),
    maxInFlight: positiveInt.optional(),
    connection: natsConnection.optional(),
  }).optional(),
  // a file is read as JSON lines: "msgpack" is refused rather than ignored
  file: obj({ path: name, codec: z.literal("json", { error: "a file is read as JSON lines (one record per line): only \"json\" is accepted" }).optional() }).optional(),
  /** Records posted to the edge node's HTTP API (`POST /ingest/<pipeline>`). */
  http: obj({}).optional(),
  /** Partial summaries forwarded by edges (`forward:`), merged by a central pipeline (`weir central`). */
  partials: obj({
    subject: name,
    pipeline: name.optional(),
    edges: z.array(name).min(1).optional(),
    jetstream: obj({ stream: name, create: z.boolean().optional() }).optional(),
  }).optional(),
  generator: obj({
    sensors: positiveInt.optional(),
    rate: positiveInt.optional(),
    speed: z.number().positive("must be > 0").optional(),
    outOfOrder: z.number().min(0).max(1).optional(),
    late: z.number().min(0).max(1).optional(),
    maxDelay: duration().optional(),
    records: positiveInt.optional(),
    seed: z.number().int("must be a whole number").optional(),
  }).optional(),
});

/** Where result rows (or late records) go when a pipeline runs live. */
export const sinkSchema = obj({
  nats: obj({ subject: publishSubject, codec: codec.optional(), connection: natsConnection.optional() }).optional(),
  jetstream: obj({
    stream: name,
    subject: publishSubject,
    create: z.boolean().optional(),
    codec: codec.optional(),
    maxBytes: positiveInt.optional(),
    duplicateWindow: duration({ min: 1 }).optional(),
  }).optional(),
  file: obj({ path: name }).optional(),
  console: obj({}).optional(),
});

/** The whole spec as a user writes it. */
export const specSchema = obj({
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, "must be a non-empty name of letters, digits, '_', '-' and '.'").optional(),
  mode: z.enum(["continuous", "micro-batch"]).optional(),
  trigger: duration({ min: 1 }).optional(),
  // one source or a list; always a list after parsing (error paths of a single source drop the index: see resolve.ts)
  source: z.preprocess((v) => (isPlainObject(v) ? [v] : v), z.array(sourceSchema).min(1, "needs at least one source")).optional(),
  time: timeSchema.optional(),
  key: z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(name).min(1, "must name at least one field")).optional(),
  window: windowSchema,
  allowedLateness: duration().optional(),
  emit: z.enum(["final", "update", "complete"]).optional(),
  endOfInput: z.enum(["flush", "hold"]).optional(),
  compat: z.enum(["none", "spark"]).optional(),
  aggregate: z.record(name, z.string()),
  sink: sinkSchema.optional(),
  late: sinkSchema.optional(),
  deadLetter: sinkSchema.optional(),
  /** Forwarding of fired windows with their mergeable partial state to a central tier. */
  forward: obj({
    subject: publishSubject,
    partials: z.boolean().optional(),
    partitions: positiveInt.optional(),
    codec: codec.optional(),
    jetstream: obj({ stream: name, create: z.boolean().optional(), duplicateWindow: duration({ min: 1 }).optional() }).optional(),
  }).optional(),
  checkpoint: obj({ interval: duration({ min: 100 }).optional() }).optional(),
});

/** The parsed spec: durations in ms, key as a list; cross-field rules not yet checked. */
export type ParsedSpec = z.output<typeof specSchema>;
export type SourceSpec = z.output<typeof sourceSchema>;
export type SinkSpec = z.output<typeof sinkSchema>;
export type ForwardSpec = NonNullable<ParsedSpec["forward"]>;

/** The fields of zod issues that {@link issueMessage} reads. */
interface Issue {
  code: string;
  input?: unknown;
  expected?: string;
  values?: readonly unknown[];
  origin?: string;
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: boolean;
  format?: string;
}

/** Error messages a user can act on, instead of zod's defaults. */
export function issueMessage(iss: Issue): string | undefined {
  switch (iss.code) {
    case "invalid_type":
      if (iss.input === undefined) return "required";
      if (iss.expected === "int") return `must be a whole number, got ${describe(iss.input)}`;
      return `must be ${article(iss.expected ?? "value")}, got ${describe(iss.input)}`;
    case "invalid_value":
      return `must be one of ${(iss.values ?? []).map((v) => JSON.stringify(v)).join(", ")}, got ${describe(iss.input)}`;
    case "too_small":
      if (iss.origin === "array") return `must list at least ${iss.minimum} item${iss.minimum === 1 ? "" : "s"}`;
      if (iss.origin === "string") return "must not be empty";
      return `must be ${iss.inclusive ? ">=" : ">"} ${iss.minimum}`;
    case "too_big":
      return `must be ${iss.inclusive ? "<=" : "<"} ${iss.maximum}`;
    default:
      return undefined;
  }
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  return `${typeof v} ${JSON.stringify(v)}`;
}
