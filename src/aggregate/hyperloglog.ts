/**
 * HyperLogLog (Flajolet et al.) for `approx_count_distinct`, on 2^p
 * one-byte registers, with Ertl's improved raw estimator ("New cardinality
 * estimation algorithms for HyperLogLog sketches", 2017), which is unbiased
 * from 0 to far beyond 2^32 without empirical bias tables. Merge is a
 * register-wise max, so partial sketches from edges merge exactly.
 *
 * Standard error ≈ 1.04 / sqrt(2^p): p = 9 (Spark's default rsd 0.05) → 4.6%.
 */

/** Adds a 64-bit hash (hi, lo) to the registers of a sketch of precision p. */
export function hllAdd(reg: Uint8Array, p: number, hi: number, lo: number): void {
  const idx = hi >>> (32 - p);
  // Position of the first 1-bit in the remaining 64 - p bits, counted from 1.
  const rest = (hi << p) >>> 0;
  let rho: number;
  if (rest !== 0) rho = Math.clz32(rest) + 1;
  else rho = 32 - p + (lo === 0 ? 32 : Math.clz32(lo)) + 1;
  if (rho > reg[idx]!) reg[idx] = rho;
}

/** Register-wise maximum: the sketch of the union. Mutates and returns `a`. */
export function hllMerge(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length !== b.length) throw new RangeError("cannot merge HyperLogLog sketches of different precision");
  for (let i = 0; i < a.length; i++) if (b[i]! > a[i]!) a[i] = b[i]!;
  return a;
}

/** Estimated number of distinct hashes added. */
export function hllEstimate(reg: Uint8Array): number {
  const m = reg.length;
  const p = Math.log2(m);
  const q = 64 - p;
  const hist = new Float64Array(q + 2);
  for (let i = 0; i < m; i++) hist[reg[i]!]!++;
  let z = m * tau(1 - hist[q + 1]! / m);
  for (let k = q; k >= 1; k--) z = 0.5 * (z + hist[k]!);
  z += m * sigma(hist[0]! / m);
  if (z === Infinity) return 0;
  return Math.round((m * m) / (2 * Math.LN2) / z);
}

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  for (;;) {
    x *= x;
    const prev = z;
    z += x * y;
    y += y;
    if (z === prev) return z;
  }
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  for (;;) {
    x = Math.sqrt(x);
    const prev = z;
    y *= 0.5;
    z -= (1 - x) ** 2 * y;
    if (z === prev) return z / 3;
  }
}
