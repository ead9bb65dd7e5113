/**
 * A log-linear ("HDR") histogram of non-negative durations, written for the
 * latency benchmark: values are recorded in whole microseconds; below 2,048 µs
 * every microsecond has its own bucket, above that each power of two is cut
 * into 1,024 equal buckets. A percentile is therefore exact up to 2 ms and
 * within 1/1,024 (< 0.1%) of the true value above, at any magnitude, in
 * little memory (at most ~22 k counters, for values up to 2^31 µs ≈ 36 min).
 * The minimum, maximum and mean are kept exactly.
 */

/** Buckets of the linear part, one per microsecond. */
const LINEAR = 2048;
/** Buckets per power of two above it. */
const HALF = LINEAR / 2;
/** log2(HALF). */
const SHIFT = 10;

/** The bucket of a value in µs (an integer ≥ 0). */
function bucketOf(us: number): number {
  if (us < LINEAR) return us;
  // us in [2^k, 2^(k+1)) with k ≥ 11: keep its top 11 bits
  const k = 31 - Math.clz32(us);
  const e = k - SHIFT; // ≥ 1
  return LINEAR + (e - 1) * HALF + ((us >>> e) - HALF);
}

/** The largest value (µs) that falls into bucket `b`. */
function highestIn(b: number): number {
  if (b < LINEAR) return b;
  const e = Math.floor((b - LINEAR) / HALF) + 1;
  const top = (b - LINEAR) % HALF + HALF;
  return (top + 1) * 2 ** e - 1;
}

/** Percentiles of a histogram, in milliseconds. */
export interface LatencySummary {
  count: number;
  minMs: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

export class LatencyHistogram {
  private counts = new Float64Array(LINEAR + 4 * HALF);
  private n = 0;
  private sumUs = 0;
  private minUs = Infinity;
  private maxUs = -Infinity;

  get count(): number {
    return this.n;
  }

  /** Records one duration in milliseconds (negative values count as 0; capped at 2^31 µs ≈ 36 min). */
  recordMs(ms: number): void {
    const us = Math.min(2 ** 31 - 1, Math.max(0, Math.round(ms * 1000)));
    const b = bucketOf(us);
    if (b >= this.counts.length) {
      const grown = new Float64Array(Math.max(b + 1, this.counts.length * 2));
      grown.set(this.counts);
      this.counts = grown;
    }
    this.counts[b]!++;
    this.n++;
    this.sumUs += us;
    if (us < this.minUs) this.minUs = us;
    if (us > this.maxUs) this.maxUs = us;
  }

  /** Adds every value of `other`. */
  add(other: LatencyHistogram): void {
    if (other.counts.length > this.counts.length) {
      const grown = new Float64Array(other.counts.length);
      grown.set(this.counts);
      this.counts = grown;
    }
    for (let i = 0; i < other.counts.length; i++) this.counts[i]! += other.counts[i]!;
    this.n += other.n;
    this.sumUs += other.sumUs;
    this.minUs = Math.min(this.minUs, other.minUs);
    this.maxUs = Math.max(this.maxUs, other.maxUs);
  }

  /**
   * The value at percentile `p` (0–100) in ms: the upper end of the bucket
   * holding the ⌈p/100 × count⌉-th smallest value, never above the maximum.
   * NaN when empty.
   */
  percentileMs(p: number): number {
    if (this.n === 0) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.n));
    let seen = 0;
    for (let b = 0; b < this.counts.length; b++) {
      seen += this.counts[b]!;
      if (seen >= rank) return Math.min(highestIn(b), this.maxUs) / 1000;
    }
    return this.maxUs / 1000;
  }

  summary(): LatencySummary {
    const r = (x: number) => (Number.isFinite(x) ? Number(x.toFixed(3)) : NaN);
    return {
      count: this.n,
      minMs: r(this.n ? this.minUs / 1000 : NaN),
      meanMs: r(this.n ? this.sumUs / this.n / 1000 : NaN),
      p50Ms: r(this.percentileMs(50)),
      p90Ms: r(this.percentileMs(90)),
      p99Ms: r(this.percentileMs(99)),
      p999Ms: r(this.percentileMs(99.9)),
      maxMs: r(this.n ? this.maxUs / 1000 : NaN),
    };
  }

  /** [percentile, ms] at 0, 10, …, 90, 95, 99, 99.5, 99.9, 99.99 and 100 (empty when there is no value), for the results file. */
  ladder(): [number, number][] {
    if (this.n === 0) return [];
    return LADDER.map((p) => [p, p === 0 ? this.minUs / 1000 : this.percentileMs(p)]);
  }
}

/** The percentiles of {@link LatencyHistogram.ladder}. */
export const LADDER = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9, 99.99, 100];
