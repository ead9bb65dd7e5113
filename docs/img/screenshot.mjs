// Regenerates docs/img/dashboard.png: starts `weir edge --http` with a
// generator pipeline and an HTTP pipeline, feeds the second for a few
// seconds, and photographs the dashboard with Debian's chromium.
// Usage (after npm install): npm run screenshot
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const root = new URL("../../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "weir-shot-"));
const port = 7000 + Math.floor(Math.random() * 900);
const base = `http://127.0.0.1:${port}`;
writeFileSync(join(dir, "sensors.yaml"), `name: sensors
time: { field: ts, maxOutOfOrderness: 2s, idleTimeout: 10s }
key: deviceId
window: { tumbling: 5s }
allowedLateness: 2s
aggregate:
  n: count()
  avg_temp: avg(temp)
  p95_temp: quantile(temp, 0.95)
source: { generator: { sensors: 8, rate: 400, speed: 1, late: 0.01 } }
sink: { file: { path: ${join(dir, "rows.jsonl")} } }
`);
writeFileSync(join(dir, "web.yaml"), `name: web-devices
time: { field: ts, maxOutOfOrderness: 1s }
key: deviceId
window: { tumbling: 10s }
aggregate: { n: count(), max_load: max(load) }
source: { http: {} }
sink: { file: { path: ${join(dir, "web.jsonl")} } }
`);
const edge = spawn(process.execPath, [join(root, "bin/weir.js"), "edge", join(dir, "sensors.yaml"), join(dir, "web.yaml"), "--http", `127.0.0.1:${port}`], { stdio: "ignore" });
const kill = setTimeout(() => edge.kill("SIGKILL"), 60_000);
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {}
    if (i > 100) throw new Error("weir edge did not come up");
    await new Promise((r) => setTimeout(r, 100));
  }
  const feed = setInterval(() => {
    const now = Date.now();
    const records = Array.from({ length: 50 }, (_, i) => ({ deviceId: `web-${i % 5}`, ts: now - (i % 7) * 100, load: Math.round(Math.random() * 100) / 100 }));
    if (Math.random() < 0.2) records.push({ deviceId: "web-x", ts: "not a time" });
    fetch(`${base}/ingest/web-devices`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(records) }).catch(() => {});
  }, 200);
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox"] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  await page.goto(base);
  await page.waitForTimeout(15_000); // let the charts fill
  await page.screenshot({ path: join(root, "docs/img/dashboard.png"), fullPage: true });
  await browser.close();
  clearInterval(feed);
  console.log("wrote docs/img/dashboard.png");
} finally {
  clearTimeout(kill);
  edge.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}
