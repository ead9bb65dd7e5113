/**
 * The WASM kernel's memory layout: the one module that knows where each
 * batch column, the output region and every accumulator of an entry live
 * in linear memory. The kernel reads the descriptor table written here;
 * everything else on the host asks this module for offsets.
 *
 * ```
 * staticEnd ┬ descriptor table
 *           ├ batch columns: keyId i32[B], ts f64[B], wm f64[B+1], num f64[B]…, dict i32[B]…, hash u32[2B]…
 *           ├ late indexes i32[B]
 *           ├ output rows [R]: keyId i32, index i32, start f64, end f64, value f64 × aggregates
 *           ├ window requests [Q]: keyId i32, pad, window start (slices) f64
 *           ├ slot ops [P]: op i32, a i32, b i32, pad, seq f64
 *           ├ slot results: f64 × aggregates
 * heapStart ┴ the kernel's heap: tables, entries, sketch buffers (grows)
 * ```
 *
 * An entry is a 4-byte header (keyId i32; its slice is its page's, see
 * assembly/table.ts) then the accumulators: the record count (f64), then
 * per column the parts its aggregates need, in the order of
 * {@link NUM_PARTS} (moments: n, mean and the sum of squared differences
 * from the mean, f64 each).
 */
import type { ColumnLayout } from "../../codec/column-layout.js";
import type { AggregatePlan } from "../../plan/plan.js";

/** Records per kernel call; larger batches are fed in chunks. */
export const BATCH_CAPACITY = 65536;
/** Output rows before the kernel hands them over (flushRows). */
export const OUTPUT_ROWS = 4096;
export const REQUEST_CAPACITY = 4096;
export const OP_CAPACITY = 16384;
export const ROW_HEADER = 24;
export const OP_BYTES = 24;

/** Parts of a numeric column's accumulators, with their size (bytes) and flag bit. */
export const NUM_PARTS = {
  n: { flag: 1, bytes: 8 },
  sum: { flag: 2, bytes: 8 },
  min: { flag: 4, bytes: 8 },
  max: { flag: 8, bytes: 8 },
  first: { flag: 16, bytes: 16 },
  last: { flag: 32, bytes: 16 },
  list: { flag: 64, bytes: 16 },
  sketch: { flag: 128, bytes: 48 },
  moments: { flag: 256, bytes: 24 },
} as const;
type NumPart = keyof typeof NUM_PARTS;

/** Aggregate kinds as the kernel numbers them. */
export const AGG_KIND: Record<AggregatePlan["fn"], number> = {
  count: 0, // count() is 0; count(x) is 1 (see aggDescriptor)
  sum: 2,
  avg: 3,
  min: 4,
  max: 5,
  first: 6,
  last: 7,
  count_distinct: 8,
  approx_count_distinct: 9,
  percentile: 10,
  percentile_approx: 11,
  quantile: 12,
  stddev_pop: 13,
  stddev_samp: 14,
  var_pop: 15,
  var_samp: 16,
};

const PARTS_OF: Record<AggregatePlan["fn"], NumPart[]> = {
  count: ["n"],
  sum: ["n", "sum"],
  avg: ["n", "sum"],
  min: ["n", "min"],
  max: ["n", "max"],
  first: ["first"],
  last: ["last"],
  count_distinct: [],
  approx_count_distinct: [],
  percentile: ["list"],
  percentile_approx: ["list"],
  quantile: ["n", "sketch"],
  stddev_pop: ["moments"],
  stddev_samp: ["moments"],
  var_pop: ["moments"],
  var_samp: ["moments"],
};

export interface NumColumnLayout {
  flags: number;
  /** Entry-relative offset of each part present (accumulator area, after the header). */
  at: Partial<Record<NumPart, number>>;
}

export interface Regions {
  desc: number;
  keyId: number;
  ts: number;
  wm: number;
  num: number[];
  dict: number[];
  hash: number[];
  late: number;
  out: number;
  req: number;
  ops: number;
  result: number;
  heapStart: number;
}

export interface KernelLayout {
  /** Bytes of an entry's accumulator area. */
  accBytes: number;
  countAt: number;
  num: NumColumnLayout[];
  /** Offset of each dict column's id set (16 bytes: ptr, size, cap). */
  dictAt: number[];
  /** Each HyperLogLog: the hash column it reads, its aggregate, its offset (8 bytes: ptr, size) and precision. */
  hashAt: { column: number; aggregate: number; at: number; precision: number }[];
  rowStride: number;
  regions: Regions;
  /** The descriptor table the kernel reads (written at regions.desc). */
  descriptor: Uint8Array;
}

/** Computes the layout for a plan's aggregates and column layout, with fixed regions from `staticEnd`. */
export function kernelLayout(aggregates: readonly AggregatePlan[], cols: ColumnLayout, staticEnd: number): KernelLayout {
  let at = 8; // record count f64 at 0
  const num = cols.num.map((c, ci): NumColumnLayout => {
    const parts = new Set<NumPart>(["n"]);
    aggregates.forEach((a, k) => {
      if (cols.columnOf[k] === ci && c.kind === "num") PARTS_OF[a.fn].forEach((p) => parts.add(p));
    });
    const layout: NumColumnLayout = { flags: 0, at: {} };
    for (const p of Object.keys(NUM_PARTS) as NumPart[]) {
      if (!parts.has(p)) continue;
      layout.flags |= NUM_PARTS[p].flag;
      layout.at[p] = at;
      at += NUM_PARTS[p].bytes;
    }
    return layout;
  });
  const dictAt = cols.dict.map(() => ((at += 16), at - 16));
  // One HyperLogLog per approx_count_distinct aggregate (two on one field may differ in precision).
  const hashAt: KernelLayout["hashAt"] = [];
  aggregates.forEach((a, k) => {
    if (a.fn === "approx_count_distinct") hashAt.push({ column: cols.columnOf[k]!, aggregate: k, at: (at += 8) - 8, precision: a.precision! });
  });
  const accBytes = at;
  const rowStride = ROW_HEADER + 8 * aggregates.length;

  const descBytes = 32 + 64 * num.length + 16 * dictAt.length + 16 * hashAt.length + 32 * aggregates.length;
  const B = BATCH_CAPACITY;
  let p = align(staticEnd, 16);
  const take = (bytes: number) => {
    const r = p;
    p = align(p + bytes, 16);
    return r;
  };
  const regions: Regions = {
    desc: take(descBytes),
    keyId: take(4 * B),
    ts: take(8 * B),
    wm: take(8 * (B + 1)),
    num: num.map(() => take(8 * B)),
    dict: dictAt.map(() => take(4 * B)),
    hash: cols.hash.map(() => take(8 * B)),
    late: take(4 * B),
    out: take(OUTPUT_ROWS * rowStride),
    req: take(REQUEST_CAPACITY * 16),
    ops: take(OP_CAPACITY * OP_BYTES),
    result: take(8 * aggregates.length),
    heapStart: 0,
  };
  regions.heapStart = p;

  const desc = new DataView(new ArrayBuffer(descBytes));
  const i32 = (off: number, v: number) => desc.setInt32(off, v, true);
  i32(0, aggregates.length);
  i32(4, num.length);
  i32(8, dictAt.length);
  i32(12, hashAt.length);
  i32(16, accBytes);
  i32(20, 0);
  num.forEach((c, ci) => {
    const o = 32 + 64 * ci;
    i32(o, regions.num[ci]!);
    i32(o + 4, c.flags);
    (Object.keys(NUM_PARTS) as NumPart[]).forEach((part, j) => i32(o + 8 + 4 * j, c.at[part] ?? -1));
  });
  let o = 32 + 64 * num.length;
  dictAt.forEach((a, di) => {
    i32(o, regions.dict[di]!);
    i32(o + 4, a);
    o += 16;
  });
  hashAt.forEach((h) => {
    i32(o, regions.hash[h.column]!);
    i32(o + 4, h.precision);
    i32(o + 8, h.at);
    o += 16;
  });
  aggregates.forEach((a, k) => {
    const c = cols.columnOf[k]!;
    let kind = AGG_KIND[a.fn];
    let o1 = 0;
    let o2 = 0;
    const n = num[c];
    switch (a.fn) {
      case "count":
        if (a.field === null) o1 = 0;
        else {
          kind = 1;
          o1 = n!.at.n!;
        }
        break;
      case "sum":
      case "avg":
        [o1, o2] = [n!.at.n!, n!.at.sum!];
        break;
      case "min":
      case "max":
        [o1, o2] = [n!.at.n!, n!.at[a.fn]!];
        break;
      case "first":
      case "last":
        o1 = n!.at[a.fn]!;
        break;
      case "count_distinct":
        o1 = dictAt[c]!;
        break;
      case "approx_count_distinct": {
        const h = hashAt.find((x) => x.aggregate === k)!;
        [o1, o2] = [h.at, h.precision];
        break;
      }
      case "percentile":
      case "percentile_approx":
        o1 = n!.at.list!;
        break;
      case "quantile":
        [o1, o2] = [n!.at.n!, n!.at.sketch!];
        break;
      case "stddev_pop":
      case "stddev_samp":
      case "var_pop":
      case "var_samp":
        o1 = n!.at.moments!;
        break;
    }
    i32(o, kind);
    i32(o + 4, o1);
    i32(o + 8, o2);
    desc.setFloat64(o + 16, a.p ?? 0, true);
    o += 32;
  });
  return { accBytes, countAt: 0, num, dictAt, hashAt, rowStride, regions, descriptor: new Uint8Array(desc.buffer) };
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
