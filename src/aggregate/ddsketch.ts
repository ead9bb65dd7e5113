/**
 * DDSketch (Masson, Rim, Lee, VLDB 2019) for `quantile(x, q)`: values fall
 * into logarithmic buckets of ratio γ = (1 + α) / (1 - α); any quantile is
 * answered within relative error α = 1% of the exact value of the same rank.
 * Buckets add under merge, so sketches from many edges merge exactly.
 *
 * The rank answered for q is floor(q * (n - 1)) (0-based), i.e. the lower
 * of the two values exact percentile interpolation would use.
 */
export const DDSKETCH_ALPHA = 0.01;
const GAMMA = (1 + DDSKETCH_ALPHA) / (1 - DDSKETCH_ALPHA);
const LN_GAMMA = Math.log(GAMMA);
/** Magnitudes below this count as zero (their bucket index would be far below any sensor reading). */
const MIN_INDEXABLE = 1e-9;
/** Bucket budget per sign; beyond it the smallest-magnitude buckets collapse together. */
export const DDSKETCH_MAX_BUCKETS = 2048;

/** Index of the bucket holding magnitude v > MIN_INDEXABLE: bucket i covers (γ^(i-1), γ^i]. */
export function ddBucketIndex(v: number): number {
  return Math.ceil(Math.log(v) / LN_GAMMA);
}

/** Value reported for bucket i: within α of every magnitude the bucket holds. */
export function ddBucketValue(i: number): number {
  return (2 * GAMMA ** i) / (GAMMA + 1);
}

/** Partial state: zero count and, per sign, [lowest index, counts...]. */
export interface DDSketchPartial {
  z: number;
  p: number[];
  n: number[];
}

export class DDSketch {
  count = 0;
  zeros = 0;
  readonly pos = new Map<number, number>();
  readonly neg = new Map<number, number>();

  add(v: number): void {
    this.count++;
    const a = Math.abs(v);
    if (a <= MIN_INDEXABLE) {
      this.zeros++;
      return;
    }
    const store = v > 0 ? this.pos : this.neg;
    const i = ddBucketIndex(a);
    store.set(i, (store.get(i) ?? 0) + 1);
    if (store.size > DDSKETCH_MAX_BUCKETS) collapseLowest(store);
  }

  merge(o: DDSketch): this {
    this.count += o.count;
    this.zeros += o.zeros;
    for (const [store, other] of [[this.pos, o.pos], [this.neg, o.neg]] as const) {
      for (const [i, c] of other) store.set(i, (store.get(i) ?? 0) + c);
      while (store.size > DDSKETCH_MAX_BUCKETS) collapseLowest(store);
    }
    return this;
  }

  /** The value at rank floor(q * (n - 1)), within 1% relative error; null when empty. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.floor(q * (this.count - 1));
    let seen = 0;
    const negIdx = [...this.neg.keys()].sort((a, b) => b - a);
    for (const i of negIdx) {
      seen += this.neg.get(i)!;
      if (seen > rank) return -ddBucketValue(i);
    }
    seen += this.zeros;
    if (seen > rank) return 0;
    const posIdx = [...this.pos.keys()].sort((a, b) => a - b);
    for (const i of posIdx) {
      seen += this.pos.get(i)!;
      if (seen > rank) return ddBucketValue(i);
    }
    return ddBucketValue(posIdx[posIdx.length - 1]!);
  }

  toPartial(): DDSketchPartial {
    return { z: this.zeros, p: dense(this.pos), n: dense(this.neg) };
  }

  static fromPartial(p: DDSketchPartial): DDSketch {
    const s = new DDSketch();
    s.zeros = p.z;
    s.count = p.z + sparse(p.p, s.pos) + sparse(p.n, s.neg);
    return s;
  }
}

function collapseLowest(store: Map<number, number>): void {
  const [lo, next] = [...store.keys()].sort((a, b) => a - b);
  store.set(next!, store.get(next!)! + store.get(lo!)!);
  store.delete(lo!);
}

function dense(store: Map<number, number>): number[] {
  if (store.size === 0) return [];
  const keys = [...store.keys()];
  const lo = Math.min(...keys);
  const hi = Math.max(...keys);
  const out = new Array<number>(hi - lo + 2).fill(0);
  out[0] = lo;
  for (const [i, c] of store) out[i - lo + 1] = c;
  return out;
}

function sparse(d: number[], into: Map<number, number>): number {
  let total = 0;
  for (let j = 1; j < d.length; j++) {
    if (d[j]! > 0) {
      into.set(d[0]! + j - 1, d[j]!);
      total += d[j]!;
    }
  }
  return total;
}
