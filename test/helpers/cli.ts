import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const BIN = new URL("../../bin/weir.js", import.meta.url).pathname;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `weir <args>` as a child process (killed after `timeoutMs`). */
export function weir(args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd, encoding: "utf8", timeout: opts.timeoutMs ?? 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A temp folder for one test, with helpers to write and read files in it. */
export function scratch() {
  const dir = mkdtempSync(join(tmpdir(), "weir-test-"));
  return {
    dir,
    path: (name: string) => join(dir, name),
    write(name: string, content: string | object[]): string {
      const text = Array.isArray(content) ? content.map((x) => JSON.stringify(x)).join("\n") + "\n" : content;
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    },
    readJsonl(name: string): Record<string, unknown>[] {
      return readFileSync(join(dir, name), "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l));
    },
    read: (name: string) => readFileSync(join(dir, name), "utf8"),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
