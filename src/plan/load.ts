/**
 * Loading a spec from text: YAML (a superset of JSON) → plain data → plan.
 */
import { parse as parseYaml, YAMLParseError } from "yaml";
import { SpecError } from "../errors.js";
import type { PipelinePlan } from "./plan.js";
import { resolveSpec, type SpecOverrides } from "./resolve.js";

/**
 * Parses a YAML or JSON spec and resolves it to a plan.
 * @throws SpecError with the field path, or with the line of a syntax error.
 */
export function loadSpec(text: string, overrides: SpecOverrides = {}): PipelinePlan {
  let data: unknown;
  try {
    data = parseYaml(text, { uniqueKeys: true, prettyErrors: true });
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` at line ${e.linePos[0].line}` : "";
    throw new SpecError([{ path: "", message: `not valid YAML or JSON${where}: ${(e as Error).message.split("\n")[0]}` }], { cause: e });
  }
  if (data === null || data === undefined) throw new SpecError([{ path: "", message: "the spec is empty" }]);
  return resolveSpec(data, overrides);
}
