// The output region (fired rows) and the late region (indexes of records
// every window dropped). Rows: keyId i32 | record index i32 | start f64 |
// end f64 | one f64 per aggregate. When the region is full the host is
// called to take the rows (flushRows), so one call can emit any number.

@external("env", "flushRows") declare function flushRows(n: i32): void;

let outBase: usize = 0;
let outCap: i32 = 0;
let rowStride: usize = 0;
let outCount: i32 = 0;
let lateBase: usize = 0;
let lateCount: i32 = 0;

export function outputConfigure(out: usize, capacity: i32, stride: usize, late: usize): void {
  outBase = out;
  outCap = capacity;
  rowStride = stride;
  lateBase = late;
  outCount = 0;
  lateCount = 0;
}

/** Starts a row; returns where its aggregate values go. */
// @ts-ignore: decorator
@inline export function beginRow(key: i32, start: f64, end: f64, index: i32): usize {
  if (outCount == outCap) flush();
  const row = outBase + <usize>(outCount++) * rowStride;
  store<i32>(row, key);
  store<i32>(row, index, 4);
  store<f64>(row, start, 8);
  store<f64>(row, end, 16);
  return row + 24;
}

function flush(): void {
  flushRows(outCount);
  outCount = 0;
}

// @ts-ignore: decorator
@inline export function pushLate(i: i32): void {
  store<i32>(lateBase + (<usize>(lateCount++) << 2), i);
}

export function outRows(): i32 {
  return outCount;
}

export function lateRows(): i32 {
  return lateCount;
}

/** Forgets the rows and late indexes the host has read. */
export function clearOutput(): void {
  outCount = 0;
  lateCount = 0;
}
