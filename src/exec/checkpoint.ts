/**
 * Operator checkpoints: everything needed to resume a pipeline where it
 * stopped, as one msgpack document. Keys are stored by value in id order
 * (re-interning them in order gives the same ids), window states in the
 * partial-state format, so a checkpoint written with one kernel restores
 * with the other.
 */
import { pack, unpack } from "msgpackr";
import { StateError } from "../errors.js";
import type { KernelSnapshot } from "../kernel/kernel.js";
import type { Scalar } from "../state/dictionary.js";
import type { WatermarkState } from "../time/watermark.js";
import type { Counters, WindowOperator } from "./window-operator.js";

export const CHECKPOINT_VERSION = 1;

interface Checkpoint {
  v: number;
  pipeline: string;
  keys: Scalar[][];
  watermark: WatermarkState;
  kernel: KernelSnapshot;
  counters: Counters;
}

/** The operator's state at a step boundary (between executor calls). */
export function checkpointOperator(op: WindowOperator): Uint8Array {
  const keys: Scalar[][] = [];
  if (op.plan.key.length > 0) for (let id = 0; id < op.keys.size; id++) keys.push([...op.keys.values(id)]);
  const c: Checkpoint = {
    v: CHECKPOINT_VERSION,
    pipeline: op.plan.name,
    keys,
    watermark: op.watermarks.state(),
    kernel: op.kernel.snapshot(),
    counters: { ...op.counters },
  };
  return pack(c);
}

/** Loads a checkpoint into a fresh operator of the same pipeline. */
export function restoreOperator(op: WindowOperator, bytes: Uint8Array): void {
  let c: Checkpoint;
  try {
    c = unpack(bytes) as Checkpoint;
  } catch (e) {
    throw new StateError("checkpoint is not valid msgpack", { cause: e });
  }
  if (c?.v !== CHECKPOINT_VERSION) throw new StateError(`checkpoint is not version ${CHECKPOINT_VERSION}`);
  if (c.pipeline !== op.plan.name) throw new StateError(`checkpoint is of pipeline "${c.pipeline}", not "${op.plan.name}"`);
  if (op.keys.size > (op.plan.key.length === 0 ? 1 : 0)) throw new StateError("restore needs a fresh operator");
  c.keys.forEach((vs, id) => {
    const got = vs.length === 1 ? op.keys.id(vs[0]!) : op.keys.tupleId(vs);
    if (got !== id) throw new StateError(`checkpoint keys are inconsistent at id ${id}`);
  });
  op.watermarks.restoreState(c.watermark);
  op.kernel.restore(c.kernel, c.watermark.current);
  Object.assign(op.counters, c.counters);
}
