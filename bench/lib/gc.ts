/**
 * A full garbage collection, when node runs with `--expose-gc` (as
 * `npm run bench` starts it): called before a timed region so that garbage
 * made before it (data generation, untimed decoding, another contender's
 * run) is not collected inside it. A no-op otherwise.
 */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
