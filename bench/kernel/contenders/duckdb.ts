/**
 * DuckDB, single-threaded, as a batch engine over the whole data at once:
 * the records are loaded into a table before timing (the load is timed on
 * its own and reported apart), then one GROUP BY computes every window's
 * aggregates. It never fires a window early or frees state, so it is the
 * yardstick for raw aggregation speed, not a streaming contender.
 *
 * `@duckdb/node-api` is a devDependency, imported only here and only when
 * this contender runs (the import alone costs ~350 ms and 70 MiB).
 */
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { WeirError } from "../../../src/index.js";
import type { Log } from "../../lib/log.js";
import { QUANTILE_Q, type KernelCase } from "../cases.js";
import type { Contender, Measurement, SetUpInfo } from "../contender.js";
import { START_TS, type KernelData } from "../data.js";
import { newTotals } from "../totals.js";

/** Rows per appended data chunk: DuckDB's vector size. */
const CHUNK_ROWS = 2048;

/**
 * The timed query of a case. The outer aggregate sums every column of
 * every window, so no aggregate can be optimised away and only one row
 * comes back to JavaScript. A sliding window's record joins a range of
 * size/slide offsets: one row per (record, window), the same work a
 * streaming engine does per record.
 */
export function caseSql(c: KernelCase): string {
  if (c.size % c.slide !== 0) throw new WeirError("BENCH_CASE", `${c.name}: size must be a multiple of slide`);
  const lastStart = `ts - ts % ${c.slide}`; // event times are positive: % is the floor modulo
  const windows = c.size / c.slide;
  const from =
    windows === 1
      ? `(SELECT id, v, k2, ${lastStart} AS ws FROM events)`
      : `(SELECT id, v, k2, ${lastStart} - o.k * ${c.slide} AS ws FROM events CROSS JOIN range(0, ${windows}) AS o(k))`;
  if (c.sketches) {
    return `SELECT count(*) AS rows, sum(p99) AS p99, sum(distinct_k2) AS distinct_k2 FROM (
  SELECT id, ws, quantile_cont(v, ${QUANTILE_Q}) AS p99, approx_count_distinct(k2) AS distinct_k2
  FROM ${from} GROUP BY id, ws)`;
  }
  return `SELECT count(*) AS rows, sum(n) AS n, sum(sum_v) AS sum_v, sum(min_v) + sum(max_v) + sum(avg_v) AS others FROM (
  SELECT id, ws, count(*) AS n, sum(v) AS sum_v, min(v) AS min_v, max(v) AS max_v, avg(v) AS avg_v
  FROM ${from} GROUP BY id, ws)`;
}

async function load(con: DuckDBConnection, d: KernelData): Promise<void> {
  const { DuckDBDataChunk, VARCHAR, BIGINT, DOUBLE } = await import("@duckdb/node-api");
  await con.run("CREATE TABLE events (id VARCHAR, ts BIGINT, v DOUBLE, k2 VARCHAR)");
  const appender = await con.createAppender("events");
  const chunk = DuckDBDataChunk.create([VARCHAR, BIGINT, DOUBLE, VARCHAR], CHUNK_ROWS);
  for (let from = 0; from < d.length; from += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, d.length - from);
    const id = new Array<string>(n);
    const ts = new Array<bigint>(n);
    const v = new Array<number>(n);
    const k2 = new Array<string>(n);
    for (let j = 0; j < n; j++) {
      const i = from + j;
      id[j] = d.keyNames[d.key[i]!]!;
      ts[j] = BigInt(d.ts[i]!);
      v[j] = d.v[i]!;
      k2[j] = d.k2Names[d.k2[i]!]!;
    }
    chunk.rowCount = n;
    chunk.setColumns([id, ts, v, k2]);
    appender.appendDataChunk(chunk);
  }
  appender.flushSync();
  appender.closeSync();
}

export function duckdbContender(): Contender {
  let instance: DuckDBInstance | null = null;
  let con: DuckDBConnection | null = null;
  return {
    name: "duckdb",
    method:
      "DuckDB through @duckdb/node-api, in memory, `SET threads = 1`. The records are appended to a table " +
      "(id VARCHAR, ts BIGINT, v DOUBLE, k2 VARCHAR) before timing; the load is timed apart. Timed: one query whose GROUP BY " +
      "(id, window start) computes every window's aggregates (sliding: a cross join with the 6 window offsets), summed by an outer " +
      "aggregate so that one row comes back. Sketch case: approx_count_distinct (HyperLogLog) and quantile_cont, DuckDB's exact " +
      "interpolated quantile: its t-digest approx_quantile builds one digest per window and ran ~40× slower on this data (about one " +
      "value per window), so the exact one is DuckDB's best answer here.",
    async setUp(d: KernelData, log: Log): Promise<SetUpInfo> {
      if (START_TS <= 0) throw new WeirError("BENCH_CASE", "window starts in SQL assume positive event times");
      log("duckdb: importing @duckdb/node-api");
      const duckdb = await import("@duckdb/node-api");
      instance = await duckdb.DuckDBInstance.create(":memory:", { threads: "1" });
      con = await instance.connect();
      await con.run("SET threads = 1");
      log(`duckdb: loading ${d.length.toLocaleString("en-US")} records (timed apart)`);
      const t0 = performance.now();
      await load(con, d);
      const loadSeconds = (performance.now() - t0) / 1000;
      return { version: duckdb.version(), loadSeconds };
    },
    async run(c: KernelCase, d: KernelData, log: Log): Promise<Measurement> {
      if (!con) throw new WeirError("BENCH_STATE", "duckdb: not set up");
      log(`${c.name} · duckdb: running`);
      const sql = caseSql(c);
      const t0 = performance.now();
      const reader = await con.runAndReadAll(sql);
      const seconds = (performance.now() - t0) / 1000;
      const row = reader.getRowObjects()[0]!;
      const totals = newTotals();
      totals.rows = Number(row.rows);
      if (c.sketches) {
        totals.quantile = Number(row.p99);
        totals.distinct = Number(row.distinct_k2);
      } else {
        totals.count = Number(row.n);
        totals.sum = Number(row.sum_v);
      }
      return { seconds, totals, bytesPerWindow: null };
    },
    async tearDown(): Promise<void> {
      con?.closeSync();
      instance?.closeSync();
      con = null;
      instance = null;
    },
  };
}
