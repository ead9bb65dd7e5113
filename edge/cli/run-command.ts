/**
 * `weir run <spec> --input <file.jsonl>... --output <out.jsonl>`: offline
 * replay (docs/cli.md). Reads JSON lines instead of the spec's source,
 * writes result rows as JSON lines in the order they were produced, applies
 * `endOfInput` at the end. Micro-batch mode makes each input file one batch;
 * continuous mode reads the files in order as one stream.
 */
import { access } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import {
  createExecutor,
  InputError,
  loadSpec,
  SpecError,
  UsageError,
  WindowOperator,
  type KernelKind,
  type Mode,
  type PipelinePlan,
} from "../../src/index.js";
import { LineWriter } from "../sinks/line-writer.js";
import { readLines } from "../sources/line-reader.js";
import { bytes, count, Progress } from "./progress.js";
import { parseKernel, RUN_USAGE } from "./usage.js";

interface RunArgs {
  spec: string;
  inputs: string[];
  output: string;
  mode?: Mode;
  lateOutput?: string;
  deadLetter: string;
  annotate: boolean;
  kernel: KernelKind;
}

/** Records per column batch handed to the executor. */
const CHUNK = 8192;
/** Bad lines reported one by one on stderr; the rest only in the dead-letter file. */
const MAX_REPORTED = 5;

export function parseRunArgs(argv: string[]): RunArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        input: { type: "string", short: "i", multiple: true },
        output: { type: "string", short: "o" },
        mode: { type: "string" },
        "late-output": { type: "string" },
        "dead-letter": { type: "string" },
        annotate: { type: "boolean" },
        kernel: { type: "string" },
      },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${RUN_USAGE}`);
  }
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`expected one spec file, got ${positionals.length}\n${RUN_USAGE}`);
  if (!v.input?.length) throw new UsageError(`--input is required\n${RUN_USAGE}`);
  if (!v.output) throw new UsageError(`--output is required\n${RUN_USAGE}`);
  if (v.mode !== undefined && v.mode !== "continuous" && v.mode !== "micro-batch") {
    throw new UsageError(`--mode must be continuous or micro-batch, got "${v.mode}"`);
  }
  return {
    kernel: parseKernel(v.kernel),
    spec: positionals[0]!,
    inputs: v.input,
    output: v.output,
    mode: v.mode as Mode | undefined,
    lateOutput: v["late-output"],
    deadLetter: v["dead-letter"] ?? defaultDeadLetterPath(v.output),
    annotate: v.annotate ?? false,
  };
}

/** `out/rows.jsonl` → `out/rows.dead-letter.jsonl`. */
export function defaultDeadLetterPath(output: string): string {
  const ext = extname(output);
  return join(dirname(output), `${basename(output, ext)}.dead-letter${ext || ".jsonl"}`);
}

export async function loadPlan(path: string, mode?: Mode): Promise<PipelinePlan> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new SpecError([{ path: "", message: `cannot read spec file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }], { cause: e });
  }
  const name = basename(path, extname(path)).replace(/[^A-Za-z0-9_.-]/g, "-");
  return loadSpec(text, { mode, defaultName: name });
}

export async function runCommand(argv: string[]): Promise<number> {
  const args = parseRunArgs(argv);
  const plan = await loadPlan(args.spec, args.mode);
  for (const input of args.inputs) {
    await access(input).catch((e: NodeJS.ErrnoException) => {
      throw new InputError(input, `cannot read input ${input}: ${e.code === "ENOENT" ? "no such file" : e.code}`, { cause: e });
    });
  }

  const progress = new Progress("weir run");
  const out = new LineWriter(args.output);
  const late = args.lateOutput ? new LineWriter(args.lateOutput) : null;
  const dead = new LineWriter(args.deadLetter, true);
  const op = new WindowOperator(plan, {
    row: args.annotate ? (row, at) => out.write(JSON.stringify({ ...row, emitted_at: at })) : (row) => out.write(JSON.stringify(row)),
    late: late ? (raw) => late.write(raw as string) : () => {},
  }, { kernel: args.kernel });
  const exec = createExecutor(op);
  const batch = op.newBatch(CHUNK);
  try {
    for (const file of args.inputs) {
      for await (const group of readLines(file)) {
        for (let k = 0; k < group.lines.length; k++) {
          const line = group.lines[k]!;
          if (line.trim() === "") continue;
          let record: unknown;
          let problem: string | null;
          try {
            record = JSON.parse(line);
            problem = op.decode(batch, record, line);
          } catch (e) {
            op.countDeadLetter();
            problem = `invalid JSON: ${(e as Error).message}`;
          }
          if (problem !== null) {
            const where = { file, line: group.firstLine + k };
            dead.write(JSON.stringify({ ...where, reason: problem, record: line }));
            if (dead.lines <= MAX_REPORTED) process.stderr.write(`weir run: ${file}:${where.line}: ${problem}\n`);
          }
          if (batch.length === CHUNK) {
            exec.push(batch);
            batch.clear();
          }
        }
        progress.update(() => `${count(op.counters.recordsIn + batch.length)} records in, ${count(op.counters.rowsOut)} rows out`);
      }
      if (batch.length > 0) exec.push(batch);
      batch.clear();
      exec.endBatch();
    }
    exec.end();
  } finally {
    out.close();
    late?.close();
    dead.close();
  }
  const c = op.metrics();
  const files = `${args.inputs.length} file${args.inputs.length === 1 ? "" : "s"}`;
  const deadNote = c.deadLettered > 0 ? ` (see ${args.deadLetter})` : "";
  progress.done(
    `${count(c.recordsIn)} records in, ${count(c.rowsOut)} rows out, ${count(c.late)} late, ` +
      `${count(c.deadLettered)} dead-lettered${deadNote}, ${progress.elapsed.toFixed(2)} s (${plan.mode}, ${files}, ${args.kernel} kernel); ` +
      `state: ${count(c.openWindows)} open windows, ${bytes(c.stateBytes)} (peak ${count(c.peakOpenWindows)}, ${bytes(c.peakStateBytes)})`,
  );
  return 0;
}
