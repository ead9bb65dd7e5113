/**
 * Progress lines on stderr, prefixed with the seconds since the suite
 * started: benchmarks run for minutes and stdout carries only the results.
 */
export type Log = (line: string) => void;

const started = performance.now();

export const stderrLog: Log = (line) => {
  const s = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${s} s] ${line}\n`);
};

/** For tests and library use: drops every line. */
export const silentLog: Log = () => {};
