/**
 * The built-in demo source: simulated sensors reporting temperature and
 * humidity in (accelerated) real time, with some records out of order and
 * a few so late that windows have closed before they arrive. Deterministic
 * for a seed, apart from the wall-clock pacing.
 */
export interface GeneratorOptions {
  /** Number of sensors (keys). */
  sensors?: number;
  /** Records per second of wall-clock time. */
  rate?: number;
  /** Event-time ms per wall-clock ms (5 = five times faster than real time). */
  speed?: number;
  /** Fraction of records delayed by up to `maxDelay` (out of order). */
  outOfOrder?: number;
  /** Fraction of records delayed by 2–4 × `maxDelay` (late for most pipelines). */
  late?: number;
  /** Event-time ms. */
  maxDelay?: number;
  /** Stop after this many records (default: until aborted). */
  records?: number;
  seed?: number;
  /** Event time of the first record (default: now). */
  startTime?: number;
}

export interface SensorReading {
  deviceId: string;
  ts: number;
  temp: number;
  humidity: number;
}

/** mulberry32: a small, fast, seeded PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Yields arrays of readings every `tickMs` of wall time until `records` or abort. */
export async function* generatorSource(opts: GeneratorOptions = {}, signal?: AbortSignal, tickMs = 50): AsyncGenerator<SensorReading[]> {
  const sensors = opts.sensors ?? 8;
  const rate = opts.rate ?? 200;
  const speed = opts.speed ?? 1;
  const outOfOrder = opts.outOfOrder ?? 0.1;
  const lateShare = opts.late ?? 0.01;
  const maxDelay = opts.maxDelay ?? 2000;
  const limit = opts.records ?? Infinity;
  const rnd = seededRandom(opts.seed ?? 1);
  const base = Array.from({ length: sensors }, () => 18 + rnd() * 8);
  const t0 = performance.now();
  const e0 = opts.startTime ?? Date.now();
  let sent = 0;
  while (sent < limit && !signal?.aborted) {
    await new Promise((r) => setTimeout(r, tickMs));
    const wall = performance.now() - t0;
    const due = Math.min(limit, Math.floor((wall / 1000) * rate));
    const out: SensorReading[] = [];
    for (; sent < due; sent++) {
      const now = e0 + Math.floor(((sent / rate) * 1000) * speed);
      const u = rnd();
      const delay = u < lateShare ? maxDelay * (2 + 2 * rnd()) : u < lateShare + outOfOrder ? maxDelay * rnd() : 0;
      const s = Math.floor(rnd() * sensors);
      const temp = base[s]! + 2 * Math.sin(now / 60_000 + s) + (rnd() - 0.5);
      out.push({
        deviceId: `sensor-${String(s + 1).padStart(2, "0")}`,
        ts: now - Math.floor(delay),
        temp: Math.round(temp * 100) / 100,
        humidity: Math.round((40 + 20 * rnd()) * 10) / 10,
      });
    }
    if (out.length > 0) yield out;
  }
}
