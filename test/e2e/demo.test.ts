import { describe, expect, it } from "vitest";
import { weir } from "../helpers/cli.js";

describe("weir demo (npm start)", () => {
  it("runs the generator pipeline without NATS, prints rows per window firing, where the dashboard is, and a summary", () => {
    const r = weir(["demo", "--duration", "2s", "--http", "127.0.0.1:0"], { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^dashboard: http:\/\/127\.0\.0\.1:\d+\/ /m);
    expect(r.stdout).toMatch(/^ {2}sensor-0\d {2}n=\d+ {2}avg=[\d.]+/m);
    expect(r.stdout).toMatch(/^▸ window \[[\d:.]+, [\d:.]+\) fired: \d keys?, \d+ records; dropped as too late so far: \d+$/m);
    // 400 readings/s for 2 s, all of them accounted for
    const done = /^done: ([\d,]+) records in, ([\d,]+) rows out, (\d+) late, 0 dead-lettered/m.exec(r.stdout);
    expect(done?.[1]).toBe("800");
    expect(Number(done![2])).toBeGreaterThan(0);
  });

  it("rejects bad options with exit code 2", () => {
    expect(weir(["demo", "--mode", "fast"]).code).toBe(2);
    expect(weir(["demo", "--duration", "soon"]).code).toBe(2);
  });
});
