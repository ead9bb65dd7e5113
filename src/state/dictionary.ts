/**
 * Interning of record values to dense integer ids, so that kernels see
 * integers only. Numbers, strings and booleans are kept apart (1 ≠ "1").
 */
export type Scalar = string | number | boolean;

export function isScalar(v: unknown): v is Scalar {
  const t = typeof v;
  return t === "string" || t === "number" || t === "boolean";
}

/** Interns single values (a key field, a count_distinct field). */
export class ValueDictionary {
  private readonly strings = new Map<string, number>();
  private readonly numbers = new Map<number, number>();
  readonly values: Scalar[] = [];

  /** Id of v, assigned on first sight. Amortised O(1). */
  id(v: Scalar): number {
    if (typeof v === "string") return this.strings.get(v) ?? this.add(this.strings, v, v);
    if (typeof v === "number") return this.numbers.get(v === 0 ? 0 : v) ?? this.add(this.numbers, v === 0 ? 0 : v, v);
    const s = v ? "\u0000true" : "\u0000false";
    return this.strings.get(s) ?? this.add(this.strings, s, v);
  }

  get size(): number {
    return this.values.length;
  }

  private add<K>(map: Map<K, number>, k: K, v: Scalar): number {
    const id = this.values.length;
    map.set(k, id);
    this.values.push(v);
    return id;
  }
}

/**
 * Interns keys: one field (a {@link ValueDictionary}) or several (a tuple
 * encoded to one string). `values(id)` gives the key fields back for result
 * rows; `compare` orders keys for emission (numbers < strings < booleans,
 * tuples field by field).
 */
export class KeyDictionary {
  private readonly single = new ValueDictionary();
  private readonly tuples = new Map<string, number>();
  private readonly tupleValues: Scalar[][] = [];

  constructor(readonly width: number) {}

  /** Id of a one-field key. */
  id(v: Scalar): number {
    return this.single.id(v);
  }

  /** Id of a key of several fields. */
  tupleId(vs: Scalar[]): number {
    let s = "";
    for (const v of vs) s += (typeof v === "string" ? "s" : typeof v === "number" ? "n" : "b") + String(v) + "\u0000";
    let id = this.tuples.get(s);
    if (id === undefined) {
      id = this.tupleValues.length;
      this.tuples.set(s, id);
      this.tupleValues.push(vs.slice());
    }
    return id;
  }

  /** The key field values of an id (empty for the global key). */
  values(id: number): readonly Scalar[] {
    if (this.width === 0) return [];
    if (this.width === 1) return [this.single.values[id]!];
    return this.tupleValues[id]!;
  }

  get size(): number {
    return this.width === 0 ? 1 : this.width === 1 ? this.single.size : this.tupleValues.length;
  }

  /** Key ids in key-value order (as of the last ranks() call). */
  private sorted = new Int32Array(0);
  private rankCache = new Int32Array(0);

  /**
   * Rank of every key id in key-value order: rank[a] < rank[b] iff
   * compare(a, b) < 0. Recomputed only when keys were added (O(K log K)).
   */
  ranks(): Int32Array {
    const n = this.size;
    const known = this.sorted.length;
    if (known !== n) {
      // Keys only get added: sort the new ones and merge them into the sorted
      // order, O(n + m log m), instead of sorting all n again.
      const fresh = new Int32Array(n - known);
      for (let i = 0; i < fresh.length; i++) fresh[i] = known + i;
      fresh.sort(this.compare);
      const merged = new Int32Array(n);
      let i = 0;
      let j = 0;
      for (let k = 0; k < n; k++) {
        merged[k] = j >= fresh.length || (i < known && this.compare(this.sorted[i]!, fresh[j]!) <= 0) ? this.sorted[i++]! : fresh[j++]!;
      }
      this.sorted = merged;
      const rank = new Int32Array(n);
      for (let r = 0; r < n; r++) rank[merged[r]!] = r;
      this.rankCache = rank;
    }
    return this.rankCache;
  }

  compare = (a: number, b: number): number => {
    if (a === b || this.width === 0) return 0;
    if (this.width === 1) return compareScalars(this.single.values[a]!, this.single.values[b]!);
    const x = this.tupleValues[a]!;
    const y = this.tupleValues[b]!;
    for (let i = 0; i < x.length; i++) {
      const c = compareScalars(x[i]!, y[i]!);
      if (c !== 0) return c;
    }
    return 0;
  };
}

const TYPE_ORDER = { number: 0, string: 1, boolean: 2 } as Record<string, number>;

export function compareScalars(a: Scalar, b: Scalar): number {
  const ta = TYPE_ORDER[typeof a]!;
  const tb = TYPE_ORDER[typeof b]!;
  if (ta !== tb) return ta - tb;
  return a < b ? -1 : a > b ? 1 : 0;
}
