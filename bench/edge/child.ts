/**
 * Child processes of the edge benchmark (nats-server, `weir edge`): each
 * with a hard time limit, its output read line by line, stopped with
 * SIGTERM and, when it does not exit within the grace time, SIGKILL.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { WeirError } from "../../src/index.js";

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Killed because it outlived its time limit. */
  timedOut: boolean;
}

export interface Child {
  readonly proc: ChildProcess;
  readonly pid: number;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ExitStatus>;
  readonly hasExited: () => boolean;
  /** The last lines of stdout and stderr, for error messages. */
  tail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves on exit. */
  stop(graceMs?: number): Promise<ExitStatus>;
}

export interface SpawnOptions {
  cwd?: string;
  /** SIGKILL after this long, whatever happens. */
  timeoutMs: number;
  /** Called with every line the process writes to stderr (and stdout). */
  onLine?: (line: string) => void;
  /** Lines kept for `tail()`. */
  keepLines?: number;
}

export function spawnChild(command: string, args: readonly string[], o: SpawnOptions): Child {
  const proc = spawn(command, args, { cwd: o.cwd, stdio: ["ignore", "pipe", "pipe"] });
  const kept: string[] = [];
  const keep = o.keepLines ?? 40;
  const onLine = (line: string) => {
    kept.push(line);
    if (kept.length > keep) kept.shift();
    o.onLine?.(line);
  };
  for (const stream of [proc.stdout!, proc.stderr!]) createInterface({ input: stream, crlfDelay: Infinity }).on("line", onLine);
  let timedOut = false;
  let done = false;
  const limit = setTimeout(() => {
    timedOut = true;
    proc.kill("SIGKILL");
  }, o.timeoutMs);
  limit.unref();
  const exited = new Promise<ExitStatus>((resolve) => {
    proc.once("error", (e) => {
      kept.push(`spawn failed: ${e.message}`);
      done = true;
      clearTimeout(limit);
      resolve({ code: null, signal: null, timedOut });
    });
    proc.once("exit", (code, signal) => {
      done = true;
      clearTimeout(limit);
      resolve({ code, signal, timedOut });
    });
  });
  // a child must never outlive the benchmark, even when it throws past every finally
  const onExit = () => {
    if (!done) proc.kill("SIGKILL");
  };
  process.once("exit", onExit);
  void exited.then(() => process.off("exit", onExit));
  return {
    proc,
    pid: proc.pid ?? -1,
    exited,
    hasExited: () => done,
    tail: () => kept.join("\n"),
    async stop(graceMs = 5000) {
      if (done) return exited;
      proc.kill("SIGTERM");
      const grace = setTimeout(() => proc.kill("SIGKILL"), graceMs);
      const status = await exited;
      clearTimeout(grace);
      return status;
    },
  };
}

export function describeExit(s: ExitStatus): string {
  if (s.timedOut) return "killed after its time limit";
  return s.signal ? `killed by ${s.signal}` : `exit code ${s.code}`;
}

/** Waits for `what`; throws (BENCH_CHILD, "<goal>: <why>" and the process's last lines) when the process exits first or `ms` pass. */
export async function raceChild<T>(proc: Child, what: Promise<T>, ms: number, goal: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    what.then((value) => ({ value })),
    proc.exited.then((s) => `exited first (${describeExit(s)})`),
    new Promise<string>((r) => (timer = setTimeout(() => r(`took longer than ${ms / 1000} s`), ms))),
  ]);
  clearTimeout(timer);
  if (typeof outcome === "string") throw new WeirError("BENCH_CHILD", `${goal}: ${outcome}:\n${proc.tail()}`);
  return outcome.value;
}
