/**
 * A 64-bit hash of record values for HyperLogLog, returned as two uint32
 * halves. It must never change: sketches built by different edges are
 * merged register by register at the central tier, which is only exact when
 * every edge hashes the same value to the same bits.
 *
 * Numbers hash their IEEE-754 bits (so 1 and 1.0 agree, and -0 is folded
 * into 0); strings hash their UTF-16 code units; booleans hash as strings.
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** murmur3's 32-bit finaliser: a bijection with good avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function stringHash32(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    let k = Math.imul(s.charCodeAt(i), 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  }
  return fmix32(h ^ s.length);
}

/** Writes the hash of `v` to out[at] (high half) and out[at + 1] (low half). */
export function hash64(v: string | number | boolean, out: Uint32Array, at: number): void {
  if (typeof v === "number") {
    f64[0] = v === 0 ? 0 : v;
    const lo = u32[0]!;
    const hi = u32[1]!;
    const a = fmix32(lo ^ fmix32(hi ^ 0x9e3779b9));
    out[at] = a;
    out[at + 1] = fmix32(hi ^ fmix32(lo ^ 0x7f4a7c15) ^ a);
    return;
  }
  const s = typeof v === "string" ? v : v ? "true" : "false";
  out[at] = stringHash32(s, 0x2545f491);
  out[at + 1] = stringHash32(s, 0x61c88647);
}
