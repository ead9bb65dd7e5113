/**
 * The fluent TypeScript API: builds the same spec object a YAML file would
 * hold, and resolves it through the same schema, so both give equal plans.
 *
 * @example
 * const plan = pipeline("sensor-stats")
 *   .eventTime("ts", { maxOutOfOrderness: "2s" })
 *   .key("deviceId")
 *   .tumbling("10s")
 *   .aggregate({ n: "count()", avg_temp: "avg(temp)" })
 *   .build();
 */
import type { PipelinePlan } from "./plan.js";
import { resolveSpec, type SpecOverrides } from "./resolve.js";

type Duration = number | string;
type Spec = Record<string, unknown>;

export interface EventTimeOptions {
  maxOutOfOrderness?: Duration;
  idleTimeout?: Duration;
  sourceField?: string;
  sources?: Record<string, { maxOutOfOrderness?: Duration }>;
  policy?: "min" | "max";
}

export class PipelineBuilder {
  constructor(private readonly spec: Readonly<Spec>) {}

  private with(field: string, value: unknown): PipelineBuilder {
    return new PipelineBuilder({ ...this.spec, [field]: value });
  }

  mode(mode: "continuous" | "micro-batch"): PipelineBuilder {
    return this.with("mode", mode);
  }
  /** Micro-batch interval for live sources. */
  trigger(interval: Duration): PipelineBuilder {
    return this.with("trigger", interval);
  }
  source(source: Spec): PipelineBuilder {
    return this.with("source", source);
  }
  /** The event-time field and watermark options (spec `time:`). */
  eventTime(field: string, opts: EventTimeOptions = {}): PipelineBuilder {
    return this.with("time", { field, ...opts });
  }
  key(...fields: string[]): PipelineBuilder {
    return this.with("key", fields.length === 1 ? fields[0] : fields);
  }
  tumbling(size: Duration, opts: { offset?: Duration } = {}): PipelineBuilder {
    return this.with("window", { tumbling: opts.offset === undefined ? size : { size, offset: opts.offset } });
  }
  sliding(size: Duration, slide: Duration, opts: { offset?: Duration } = {}): PipelineBuilder {
    return this.with("window", { sliding: { size, slide, ...opts } });
  }
  session(gap: Duration): PipelineBuilder {
    return this.with("window", { session: { gap } });
  }
  countWindow(size: number, slide?: number): PipelineBuilder {
    return this.with("window", { count: slide === undefined ? size : { size, slide } });
  }
  allowedLateness(lateness: Duration): PipelineBuilder {
    return this.with("allowedLateness", lateness);
  }
  emit(emit: "final" | "update" | "complete"): PipelineBuilder {
    return this.with("emit", emit);
  }
  endOfInput(policy: "flush" | "hold"): PipelineBuilder {
    return this.with("endOfInput", policy);
  }
  compat(compat: "none" | "spark"): PipelineBuilder {
    return this.with("compat", compat);
  }
  /** Output name → expression, e.g. `{ avg_temp: "avg(temp)" }`; adds to earlier calls. */
  aggregate(aggregates: Record<string, string>): PipelineBuilder {
    return this.with("aggregate", { ...(this.spec.aggregate as Spec | undefined), ...aggregates });
  }
  sink(sink: Spec): PipelineBuilder {
    return this.with("sink", sink);
  }
  late(sink: Spec): PipelineBuilder {
    return this.with("late", sink);
  }

  /** The spec object this builder stands for (what a YAML file would hold). */
  toSpec(): Spec {
    return structuredClone(this.spec) as Spec;
  }

  /** Validates and resolves the plan. @throws SpecError with field paths */
  build(overrides: SpecOverrides = {}): PipelinePlan {
    return resolveSpec(this.toSpec(), overrides);
  }
}

/** Starts a pipeline definition. */
export function pipeline(name: string): PipelineBuilder {
  return new PipelineBuilder({ name });
}
