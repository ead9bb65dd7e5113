/**
 * Loading and instantiating the WASM kernel (build/weir-kernel.wasm, made
 * by `npm run build`). The module is compiled once per process; each
 * operator gets its own instance and linear memory.
 */
import { existsSync, readFileSync } from "node:fs";
import { WeirError } from "../../errors.js";
import type { KernelLayout } from "./layout.js";

/** The kernel's exports (assembly/index.ts). */
export interface KernelExports {
  memory: WebAssembly.Memory;
  staticEnd(): number;
  configure(
    desc: number, keyB: number, tsB: number, wmB: number, lateB: number, outB: number, outCap: number,
    reqB: number, opsB: number, resB: number, heapStart: number,
    size: number, slide: number, offset: number, lateness: number, mode: number,
  ): void;
  reserve(keys: number): void;
  keyRanks(): number;
  /** Returns the largest event time of the n records. */
  accumulate(n: number, wm: number): number;
  continuous(n: number): void;
  step(wm: number, index: number): void;
  emitRequested(n: number, index: number): void;
  outRows(): number;
  lateRows(): number;
  clearOutput(): void;
  touchedCount(): number;
  touchedBase(): number;
  /** Key id of an entry (a touched one). */
  entryKey(e: number): number;
  /** Slice index of an entry (a touched one). */
  entrySlice(e: number): number;
  reserveSlots(slots: number): void;
  runOps(n: number): void;
  slotResults(slot: number): void;
  slotAccumulators(slot: number): number;
  stateBytes(): number;
  memoryBytes(): number;
  tableSlots(): number;
  entriesInUse(): number;
  openWindows(): number;
  nextSeq(): number;
  snapshotWindows(): void;
  restoreWindow(key: number, a: number): number;
  restoreEnd(wm: number, seq: number): void;
  accListPush(list: number, v: number): void;
  accSetAdd(set: number, id: number): void;
  accHllSet(h: number, p: number, idx: number, value: number): void;
  accDdAdd(d: number, side: number, index: number, count: number): void;
}

let compiled: WebAssembly.Module | null = null;

function findWasm(): string {
  // dist/src/kernel/wasm → package root is 4 levels up; src/kernel/wasm → 3.
  for (const up of ["../../../build/weir-kernel.wasm", "../../../../build/weir-kernel.wasm"]) {
    const path = new URL(up, import.meta.url).pathname;
    if (existsSync(path)) return path;
  }
  throw new WeirError("KERNEL_UNAVAILABLE", "build/weir-kernel.wasm is missing: run `npm run build` (or use --kernel ts)");
}

function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(findWasm()));
  return compiled;
}

/** Whether the WASM kernel can be loaded here. */
export function wasmAvailable(): boolean {
  try {
    kernelModule();
    return true;
  } catch {
    return false;
  }
}

/**
 * One kernel instance with typed views over its memory. Views are
 * re-created whenever the memory has grown (the kernel grows its heap
 * during calls), so always read them through `mem()`.
 */
export class KernelInstance {
  readonly x: KernelExports;
  private buffer: ArrayBuffer | null = null;
  private views!: { i32: Int32Array; u32: Uint32Array; f64: Float64Array; u8: Uint8Array; dv: DataView };
  /** Called by the kernel when its output region is full. */
  onFlush: (rows: number) => void = () => {};
  /** Called by the kernel for each window during snapshotWindows. */
  onSnapshot: (key: number, start: number, end: number, acc: number) => void = () => {};

  constructor(readonly layout: KernelLayout) {
    const instance = new WebAssembly.Instance(kernelModule(), {
      env: {
        flushRows: (n: number) => this.onFlush(n),
        snapshotWindow: (key: number, start: number, end: number, acc: number) => this.onSnapshot(key, start, end, acc),
        abort: () => {
          throw new WeirError("KERNEL_ABORT", "the WASM kernel aborted");
        },
      },
    });
    this.x = instance.exports as unknown as KernelExports;
  }

  mem() {
    const b = this.x.memory.buffer;
    if (b !== this.buffer) {
      this.buffer = b;
      this.views = { i32: new Int32Array(b), u32: new Uint32Array(b), f64: new Float64Array(b), u8: new Uint8Array(b), dv: new DataView(b) };
    }
    return this.views;
  }

  /** Grows memory to hold the fixed regions and writes the descriptor table. */
  init(window: { size: number; slide: number; offset: number }, lateness: number, mode: number): void {
    const r = this.layout.regions;
    const need = r.heapStart + (1 << 16);
    const have = this.x.memory.buffer.byteLength;
    if (need > have) this.x.memory.grow(Math.ceil((need - have) / 65536));
    this.mem().u8.set(this.layout.descriptor, r.desc);
    this.x.configure(r.desc, r.keyId, r.ts, r.wm, r.late, r.out, 4096, r.req, r.ops, r.result, r.heapStart, window.size, window.slide, window.offset, lateness, mode);
  }
}

/** The module's static data end, needed before a layout can be computed. */
export function kernelStaticEnd(): number {
  const probe = new WebAssembly.Instance(kernelModule(), { env: { flushRows: () => {}, snapshotWindow: () => {}, abort: () => {} } });
  return (probe.exports as unknown as KernelExports).staticEnd();
}
