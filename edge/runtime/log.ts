/**
 * Structured logs: one JSON object per line on stderr
 * (`{"time":..., "level":"info", "msg":..., ...fields}`), or a readable
 * line with `--pretty`.
 */
export type Level = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(opts: { pretty?: boolean; level?: Level; stream?: NodeJS.WritableStream; base?: Record<string, unknown> } = {}): Logger {
  const stream = opts.stream ?? process.stderr;
  const min = ORDER[opts.level ?? "info"];
  const base = opts.base ?? {};
  const write = (level: Level, msg: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[level] < min) return;
    const all = { ...base, ...fields };
    if (opts.pretty) {
      const extra = Object.entries(all)
        .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
        .join(" ");
      stream.write(`${new Date().toISOString().slice(11, 23)} ${level.toUpperCase().padEnd(5)} ${msg}${extra ? `  ${extra}` : ""}\n`);
    } else {
      stream.write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...all }) + "\n");
    }
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
    child: (fields) => createLogger({ ...opts, base: { ...base, ...fields } }),
  };
}
