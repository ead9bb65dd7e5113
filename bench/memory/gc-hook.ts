/**
 * Preloaded into the `weir edge` processes of the memory benchmark
 * (`node --expose-gc --import <this file> bin/weir.js edge ...`). On SIGUSR2
 * it runs a full garbage collection and writes one JSON line to stderr:
 * `{"msg":"weir-bench-gc","memory":process.memoryUsage()}`. It does nothing
 * else, so weir runs unchanged; the benchmark uses it to read memory that is
 * live rather than garbage V8 has not collected yet.
 *
 * Never import this module: importing it installs the handler.
 */
const collect = (globalThis as { gc?: () => void }).gc;

process.on("SIGUSR2", () => {
  // twice: the first pass may leave objects that only finalizers freed
  collect?.();
  collect?.();
  process.stderr.write(JSON.stringify({ msg: "weir-bench-gc", collected: collect !== undefined, memory: process.memoryUsage() }) + "\n");
});
