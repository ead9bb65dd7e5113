/**
 * Parses aggregate expressions such as `avg(temp)`, `percentile(temp, 0.5)`
 * or `approx_count_distinct(sensorId, 0.02)` into {@link AggregatePlan}s.
 */
import type { AggregateFn, AggregatePlan } from "./plan.js";

const EXPR = /^\s*([a-z_]+)\s*\(\s*(.*?)\s*\)\s*$/;
const FIELD = /^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)*$/;

/** HyperLogLog precision for a relative standard deviation, as Spark computes it (0.05 → 9). */
export function hllPrecision(rsd: number): number {
  return Math.ceil(2 * Math.log2(1.106 / rsd));
}

/** The smallest rsd whose HyperLogLog precision stays <= 18 (256 KiB of registers per window). */
const MIN_RSD = 0.0022;

interface FnSpec {
  /** Numbers after the field: name and whether required. */
  params: { name: string; required: boolean; check: (v: number) => string | null }[];
  needsField: boolean;
}

const unit = (v: number) => (v >= 0 && v <= 1 ? null : "must be between 0 and 1");
const FNS: Record<AggregateFn, FnSpec> = {
  count: { params: [], needsField: false },
  sum: { params: [], needsField: true },
  avg: { params: [], needsField: true },
  min: { params: [], needsField: true },
  max: { params: [], needsField: true },
  first: { params: [], needsField: true },
  last: { params: [], needsField: true },
  count_distinct: { params: [], needsField: true },
  approx_count_distinct: {
    params: [{ name: "rsd", required: false, check: (v) => (v >= MIN_RSD && v < 0.4 ? null : `must be in [${MIN_RSD}, 0.4)`) }],
    needsField: true,
  },
  percentile: { params: [{ name: "p", required: true, check: unit }], needsField: true },
  percentile_approx: {
    params: [
      { name: "p", required: true, check: unit },
      { name: "accuracy", required: false, check: (v) => (Number.isInteger(v) && v > 0 ? null : "must be a whole number > 0") },
    ],
    needsField: true,
  },
  quantile: { params: [{ name: "q", required: true, check: unit }], needsField: true },
  stddev_pop: { params: [], needsField: true },
  stddev_samp: { params: [], needsField: true },
  var_pop: { params: [], needsField: true },
  var_samp: { params: [], needsField: true },
};

/** Other names of functions, as Spark SQL spells them: `stddev` is the sample standard deviation, `variance` the sample variance. */
const ALIASES: Record<string, AggregateFn> = { stddev: "stddev_samp", variance: "var_samp" };

/** Known aggregate function names, for error messages and docs. */
export const AGGREGATE_FUNCTIONS = [...Object.keys(FNS), ...Object.keys(ALIASES)];

/** Parses one expression; returns the plan or a reason it is not valid. */
export function parseAggregate(name: string, expr: string): AggregatePlan | string {
  const m = EXPR.exec(expr);
  if (!m) return `"${expr}" is not an aggregate expression like sum(temp) or count()`;
  const called = m[1]!;
  const fn = Object.hasOwn(ALIASES, called) ? ALIASES[called]! : (called as AggregateFn);
  const spec = Object.hasOwn(FNS, fn) ? FNS[fn] : undefined;
  if (!spec) return `unknown function ${called}() (known: ${AGGREGATE_FUNCTIONS.join(", ")})`;
  const args = m[2] === "" ? [] : m[2]!.split(",").map((a) => a.trim());
  const field = args.length > 0 ? args[0]! : null;
  if (spec.needsField && field === null) return `${called}() needs a field, e.g. ${called}(temp)`;
  if (field !== null && !FIELD.test(field)) return `"${field}" is not a field name`;
  const nums = args.slice(1);
  if (nums.length > spec.params.length) {
    return `${called}() takes ${spec.params.length === 0 ? "only a field" : `a field and ${spec.params.map((p) => p.name).join(", ")}`}`;
  }
  const values: number[] = [];
  for (const [i, param] of spec.params.entries()) {
    const raw = nums[i];
    if (raw === undefined) {
      if (param.required) return `${called}() needs ${param.name}, e.g. ${called}(${field ?? "x"}, 0.5)`;
      continue;
    }
    const v = Number(raw);
    if (raw === "" || !Number.isFinite(v)) return `${param.name} "${raw}" is not a number`;
    const bad = param.check(v);
    if (bad) return `${param.name} ${bad}`;
    values[i] = v;
  }
  const plan: AggregatePlan = { name, fn, field };
  if (fn === "approx_count_distinct") plan.precision = Math.max(4, hllPrecision(values[0] ?? 0.05));
  if (fn === "percentile" || fn === "quantile") plan.p = values[0]!;
  if (fn === "percentile_approx") {
    plan.p = values[0]!;
    plan.accuracy = values[1] ?? 10_000;
  }
  return plan;
}
