/**
 * Reads and writes an entry's accumulators in the reference kernel's
 * partial-state forms (each aggregator's `toPartial`), so that WASM state
 * checkpoints in the same msgpack format and restores in either kernel.
 * Offsets come from layout.ts. An entry's accumulators need not be 8-byte
 * aligned (assembly/table.ts), so their f64 parts are read through a
 * DataView. The inline shapes of the heap-backed parts mirror
 * assembly/sketches.ts:
 *
 * - value list (16 B): ptr u32 | len i32 | cap i32 | pad, f64 values
 * - id set (16 B): ptr u32 | size i32 | cap i32 | pad, i32 slots (id + 1, 0 = empty)
 * - HyperLogLog (8 B): ptr u32 | size i32: sparse (size >= 0) pairs (index << 8 | value) or dense (-1) u8 registers
 * - DDSketch (48 B): zeros f64 | positive {lo, len, ptr, cap} | negative {lo, len, ptr, cap} (i32), f64 counts
 * - moments (24 B): n | mean | m2, f64 each (inline)
 */
import type { Aggregator } from "../../aggregate/aggregators.js";
import type { DDSketchPartial } from "../../aggregate/ddsketch.js";
import type { ColumnLayout } from "../../codec/column-layout.js";
import type { KernelInstance } from "./instance.js";

export class PartialCodec {
  constructor(
    private readonly k: KernelInstance,
    private readonly aggs: readonly Aggregator[],
    private readonly cols: ColumnLayout,
  ) {}

  /** The partial state of each aggregate of the accumulators at `acc`. */
  read(acc: number): unknown[] {
    const { f64, i32, u32, u8, dv } = this.k.mem();
    const L = this.k.layout;
    const F = (off: number) => dv.getFloat64(acc + off, true);
    return this.aggs.map((agg, k) => {
      const a = agg.plan;
      const c = this.cols.columnOf[k]!;
      const parts = L.num[c]?.at ?? {};
      switch (a.fn) {
        case "count":
          return a.field === null ? F(L.countAt) : F(parts.n!);
        case "sum":
        case "avg":
          return [F(parts.sum!), F(parts.n!)];
        case "min":
        case "max":
          return F(parts.n!) > 0 ? F(parts[a.fn]!) : null;
        case "first":
        case "last": {
          const at = parts[a.fn]!;
          return F(at + 8) >= 0 ? [F(at), F(at + 8)] : null;
        }
        case "count_distinct": {
          const s = acc + L.dictAt[c]!;
          const ptr = u32[s >> 2]!;
          const cap = i32[(s + 8) >> 2]!;
          const ids = new Set<number>();
          for (let j = 0; j < cap; j++) {
            const v = i32[(ptr >> 2) + j]!;
            if (v !== 0) ids.add(v - 1);
          }
          return agg.toPartial(ids);
        }
        case "approx_count_distinct": {
          const h = L.hashAt.find((x) => x.aggregate === k)!;
          const at = acc + h.at;
          const ptr = u32[at >> 2]!;
          const size = i32[(at + 4) >> 2]!;
          const reg = new Uint8Array(1 << h.precision);
          if (size < 0) reg.set(u8.subarray(ptr, ptr + reg.length));
          else {
            for (let j = 0; j < size; j++) {
              const pair = u32[(ptr >> 2) + j]!;
              reg[pair >>> 8] = Math.max(reg[pair >>> 8]!, pair & 0xff);
            }
          }
          return reg;
        }
        case "percentile":
        case "percentile_approx": {
          const at = acc + parts.list!;
          const ptr = u32[at >> 2]!;
          return Array.from(f64.subarray(ptr >> 3, (ptr >> 3) + i32[(at + 4) >> 2]!));
        }
        case "quantile": {
          const d = acc + parts.sketch!;
          const side = (off: number) => {
            const lo = i32[(d + off) >> 2]!;
            const len = i32[(d + off + 4) >> 2]!;
            const ptr = u32[(d + off + 8) >> 2]!;
            return [lo, ...f64.subarray(ptr >> 3, (ptr >> 3) + len)];
          };
          return { z: dv.getFloat64(d, true), p: side(8), n: side(24) } satisfies DDSketchPartial;
        }
        case "stddev_pop":
        case "stddev_samp":
        case "var_pop":
        case "var_samp": {
          const at = parts.moments!;
          return [F(at), F(at + 8), F(at + 16)];
        }
      }
    });
  }

  /** Writes partial states into the (freshly initialised) accumulators at `acc`. */
  write(acc: number, partials: readonly unknown[]): void {
    const L = this.k.layout;
    const x = this.k.x;
    const setF = (off: number, v: number) => this.k.mem().dv.setFloat64(acc + off, v, true);
    const getF = (off: number) => this.k.mem().dv.getFloat64(acc + off, true);
    const done = new Set<number>(); // heap-backed parts already written (shared by aggregates)
    this.aggs.forEach((agg, k) => {
      const a = agg.plan;
      const p = partials[k] as never;
      const c = this.cols.columnOf[k]!;
      const parts = L.num[c]?.at ?? {};
      switch (a.fn) {
        case "count":
          return setF(a.field === null ? L.countAt : parts.n!, p);
        case "sum":
        case "avg":
          setF(parts.sum!, (p as number[])[0]!);
          return setF(parts.n!, (p as number[])[1]!);
        case "min":
        case "max":
          if (p === null) return;
          setF(parts[a.fn]!, p);
          // Only emptiness matters to min/max; sum, avg and quantile set the exact count.
          if (getF(parts.n!) === 0) setF(parts.n!, 1);
          return;
        case "first":
        case "last":
          if (p === null) return;
          setF(parts[a.fn]!, (p as number[])[0]!);
          return setF(parts[a.fn]! + 8, (p as number[])[1]!);
        case "count_distinct": {
          if (done.has(L.dictAt[c]!)) return;
          done.add(L.dictAt[c]!);
          for (const id of agg.fromPartial(p) as Set<number>) x.accSetAdd(acc + L.dictAt[c]!, id);
          return;
        }
        case "approx_count_distinct": {
          const h = L.hashAt.find((y) => y.aggregate === k)!;
          (p as Uint8Array).forEach((v, i) => v > 0 && x.accHllSet(acc + h.at, h.precision, i, v));
          return;
        }
        case "percentile":
        case "percentile_approx":
          if (done.has(parts.list!)) return;
          done.add(parts.list!);
          for (const v of p as number[]) x.accListPush(acc + parts.list!, v);
          return;
        case "quantile": {
          if (done.has(parts.sketch!)) return;
          done.add(parts.sketch!);
          const d = acc + parts.sketch!;
          const s = p as DDSketchPartial;
          this.k.mem().dv.setFloat64(d, s.z, true);
          let n = s.z;
          for (const [side, counts] of [[0, s.p], [1, s.n]] as const) {
            for (let j = 1; j < counts.length; j++) {
              if (counts[j]! > 0) {
                x.accDdAdd(d, side, counts[0]! + j - 1, counts[j]!);
                n += counts[j]!;
              }
            }
          }
          return setF(parts.n!, n);
        }
        case "stddev_pop":
        case "stddev_samp":
        case "var_pop":
        case "var_samp": {
          const [n, mean, m2] = p as number[];
          setF(parts.moments!, n!);
          setF(parts.moments! + 8, mean!);
          return setF(parts.moments! + 16, m2!);
        }
      }
    });
  }
}
