/**
 * Every error weir throws is a {@link WeirError}: callers branch on `code`
 * (stable) or on the subclass, never on message text.
 *
 * @example
 * try { loadSpec(text) } catch (e) { if (e instanceof SpecError) console.error(e.path) }
 */
export class WeirError extends Error {
  override name = "WeirError";
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** One problem in a pipeline spec, located by the dotted path of the field. */
export interface SpecProblem {
  /** Dotted path of the bad field, `""` for the spec as a whole. */
  path: string;
  message: string;
}

/**
 * A pipeline spec (YAML, JSON or the fluent API) that cannot be run.
 * The message lists every problem as `path: message`, e.g.
 * `window.sliding.slide: must be <= size (60000 ms)`.
 */
export class SpecError extends WeirError {
  override name = "SpecError";
  readonly problems: readonly SpecProblem[];
  constructor(problems: SpecProblem[], options?: ErrorOptions) {
    super("SPEC_INVALID", problems.map(formatProblem).join("\n"), options);
    this.problems = problems;
  }
  /** Path of the first problem. */
  get path(): string {
    return this.problems[0]?.path ?? "";
  }
}

function formatProblem(p: SpecProblem): string {
  return p.path === "" ? p.message : `${p.path}: ${p.message}`;
}

/** Command-line arguments that cannot be used (exit code 2). */
export class UsageError extends WeirError {
  override name = "UsageError";
  constructor(message: string) {
    super("USAGE", message);
  }
}

/** An input that cannot be read at all (a missing file), as opposed to a bad record in it. */
export class InputError extends WeirError {
  override name = "InputError";
  readonly input: string;
  constructor(input: string, message: string, options?: ErrorOptions) {
    super("INPUT", message, options);
    this.input = input;
  }
}

/** Partial state bytes that do not decode (wrong version, truncated, foreign). */
export class StateError extends WeirError {
  override name = "StateError";
  constructor(message: string, options?: ErrorOptions) {
    super("STATE", message, options);
  }
}
