/**
 * Runs a plan on a live source: records go to the executor as they arrive
 * (continuous) or are collected and closed into a batch every `trigger`
 * interval (micro-batch). Processing-time ticks let idle inputs release the
 * watermark. Ends when the source ends (applying `endOfInput`) or on abort.
 */
import { createExecutor, WindowOperator, type KernelKind, type OperatorSink, type PipelinePlan } from "../../src/index.js";

export interface LiveOptions {
  sink: OperatorSink;
  /** Called with each record that cannot be used and why. */
  deadLetter?: (record: unknown, reason: string) => void;
  /** Called after every executor step (a push, a batch end, a tick, the end). */
  afterStep?: () => void;
  signal?: AbortSignal;
  /** The window kernel (default wasm). */
  kernel?: KernelKind;
}

export async function runLive(plan: PipelinePlan, source: AsyncIterable<readonly unknown[]>, opts: LiveOptions): Promise<WindowOperator> {
  const op = new WindowOperator(plan, opts.sink, { kernel: opts.kernel });
  const exec = createExecutor(op);
  const batch = op.newBatch();
  const timers: NodeJS.Timeout[] = [];
  const step = (f: () => void) => {
    f();
    opts.afterStep?.();
  };
  if (exec.mode === "micro-batch") timers.push(setInterval(() => step(() => exec.endBatch()), plan.trigger));
  if (plan.time?.idleTimeout) {
    timers.push(setInterval(() => step(() => exec.tick()), Math.min(1000, Math.max(10, plan.time.idleTimeout / 4))));
  }
  try {
    for await (const records of source) {
      for (const r of records) {
        const problem = op.decode(batch, r, r);
        if (problem !== null) opts.deadLetter?.(r, problem);
      }
      step(() => exec.push(batch));
      batch.clear();
      if (opts.signal?.aborted) break;
    }
    step(() => exec.end());
  } finally {
    for (const t of timers) clearInterval(t);
  }
  return op;
}
