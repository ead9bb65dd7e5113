/**
 * DDSketch (Masson, Rim, Lee, VLDB 2019) for `quantile(x, q)`: values fall
 * into logarithmic buckets, and any quantile is answered within relative
 * error α = 1% of the exact value of the same rank. Buckets add under
 * merge, so sketches from many edges merge exactly.
 *
 * Bucket mapping: instead of `ceil(log(x) / log(γ))`, weir uses the
 * linearly interpolated log2 of the float's own bits: for
 * x = 2^e · (1 + f), L(x) = e + f and the bucket is `ceil(L(x) · 50)`.
 * L is monotone and dL/d(ln x) = 1 + f >= 1, so one bucket spans at most
 * 0.02 in ln x: a ratio of e^0.02, i.e. relative error 0.99998% for the
 * bucket's harmonic-mean representative. It needs ~45% more buckets than
 * the exact log mapping, but every step is exact IEEE arithmetic, so the
 * TypeScript and WASM kernels compute identical buckets and values.
 *
 * Each sign keeps a dense range of at most {@link DDSKETCH_MAX_BUCKETS}
 * buckets; when a value would widen it further, the lowest buckets collapse
 * into the lowest kept one (accuracy is kept for the upper quantiles). The
 * result depends only on the values, not on the order of adds and merges.
 *
 * The rank answered for q is floor(q * (n - 1)) (0-based), i.e. the lower
 * of the two values exact percentile interpolation would use.
 */
export const DDSKETCH_ALPHA = 0.01;
/** Buckets per unit of L(x) (per octave). */
export const DDSKETCH_MULTIPLIER = 50;
/** Magnitudes at or below this count as zero. */
export const DDSKETCH_MIN_INDEXABLE = 1e-9;
/** Bucket budget per sign (a range of 2^82 in magnitude). */
export const DDSKETCH_MAX_BUCKETS = 4096;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Bucket of a magnitude v > DDSKETCH_MIN_INDEXABLE (finite, normal). */
export function ddBucketIndex(v: number): number {
  f64[0] = v;
  const hi = u32[1]!;
  const e = ((hi >>> 20) & 0x7ff) - 1023;
  const f = ((hi & 0xfffff) * 4294967296 + u32[0]!) / 4503599627370496;
  return Math.ceil((e + f) * DDSKETCH_MULTIPLIER);
}

/** 2^e · (1 + f) for y = e + f: the inverse of L. */
function inverseL(y: number): number {
  const e = Math.floor(y);
  f64[0] = 0;
  u32[1] = (e + 1023) << 20;
  return f64[0] * (1 + (y - e));
}

/** Representative of bucket i: the harmonic mean of its bounds, within α of all it holds. */
export function ddBucketValue(i: number): number {
  const lo = inverseL((i - 1) / DDSKETCH_MULTIPLIER);
  const hi = inverseL(i / DDSKETCH_MULTIPLIER);
  return (2 * lo * hi) / (lo + hi);
}

/** A dense run of bucket counts starting at index `lo`. */
class Store {
  lo = 0;
  counts: number[] = [];

  /** Adds `c` to bucket i, collapsing the lowest buckets when the range would exceed the budget. */
  add(i: number, c: number): void {
    const n = this.counts.length;
    if (n === 0) {
      this.lo = i;
      this.counts.push(c);
      return;
    }
    const hi = this.lo + n - 1;
    if (i > hi) {
      for (let k = hi + 1; k <= i; k++) this.counts.push(0);
      this.collapseBelow(i - DDSKETCH_MAX_BUCKETS + 1);
    } else if (i < this.lo) {
      const floor = hi - DDSKETCH_MAX_BUCKETS + 1;
      const target = Math.max(i, floor);
      if (target < this.lo) this.counts.unshift(...new Array<number>(this.lo - target).fill(0));
      this.lo = Math.min(this.lo, target);
      i = target;
    }
    this.counts[i - this.lo]! += c;
  }

  private collapseBelow(floor: number): void {
    if (floor <= this.lo) return;
    const cut = floor - this.lo;
    let folded = 0;
    for (let k = 0; k < cut; k++) folded += this.counts[k]!;
    this.counts = this.counts.slice(cut);
    this.counts[0]! += folded;
    this.lo = floor;
  }
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
  private readonly pos = new Store();
  private readonly neg = new Store();

  add(v: number): void {
    this.count++;
    const a = Math.abs(v);
    if (a <= DDSKETCH_MIN_INDEXABLE) this.zeros++;
    else (v > 0 ? this.pos : this.neg).add(ddBucketIndex(a), 1);
  }

  merge(o: DDSketch): this {
    this.count += o.count;
    this.zeros += o.zeros;
    for (const [mine, theirs] of [[this.pos, o.pos], [this.neg, o.neg]] as const) {
      theirs.counts.forEach((c, k) => c > 0 && mine.add(theirs.lo + k, c));
    }
    return this;
  }

  /** The value at rank floor(q * (n - 1)), within 1% relative error; null when empty. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.floor(q * (this.count - 1));
    let seen = 0;
    for (let k = this.neg.counts.length - 1; k >= 0; k--) {
      seen += this.neg.counts[k]!;
      if (seen > rank) return -ddBucketValue(this.neg.lo + k);
    }
    seen += this.zeros;
    if (seen > rank) return 0;
    for (let k = 0; k < this.pos.counts.length; k++) {
      seen += this.pos.counts[k]!;
      if (seen > rank) return ddBucketValue(this.pos.lo + k);
    }
    return null; // unreachable: the counts add up to this.count
  }

  toPartial(): DDSketchPartial {
    return { z: this.zeros, p: [this.pos.lo, ...this.pos.counts], n: [this.neg.lo, ...this.neg.counts] };
  }

  static fromPartial(p: DDSketchPartial): DDSketch {
    const s = new DDSketch();
    s.zeros = p.z;
    s.count = p.z;
    for (const [store, d] of [[s.pos, p.p], [s.neg, p.n]] as const) {
      for (let k = 1; k < d.length; k++) {
        if (d[k]! > 0) {
          store.add(d[0]! + k - 1, d[k]!);
          s.count += d[k]!;
        }
      }
    }
    return s;
  }
}
