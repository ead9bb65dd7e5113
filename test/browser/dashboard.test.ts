import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scratch } from "../helpers/cli.js";
import { launchChromium } from "../helpers/browser.js";
import { startEdge, type EdgeProcess } from "../helpers/edge.js";
import { api, type Api } from "../helpers/http.js";
import { freePort } from "../helpers/nats-server.js";

const s = scratch();
let edge: EdgeProcess;
let browser: Browser;
let page: Page;
let a: Api;

beforeAll(async () => {
  const spec = s.write(
    "sensors.yaml",
    `name: sensors
time: { field: ts, maxOutOfOrderness: 0 }
key: deviceId
window: { tumbling: 10 }
aggregate: { n: count(), avg_temp: avg(temp) }
source: { http: {} }
sink: { file: { path: ${s.path("rows.jsonl")} } }
`,
  );
  const port = await freePort();
  edge = startEdge([spec, "--http", `127.0.0.1:${port}`, "--data-dir", s.path("data")]);
  await edge.waitForLog("HTTP API and dashboard");
  a = api(`http://127.0.0.1:${port}`);
  browser = await launchChromium();
  page = await browser.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  edge?.child.kill("SIGTERM");
  await edge?.exited;
  s.cleanup();
});

describe("the dashboard", () => {
  it("shows the pipeline, its counts and result rows live, and deploys a pipeline from the form", async () => {
    await page.goto(a.base + "/");
    const row = page.locator('#pipelines tr[data-pipeline="sensors"]');
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator("td").nth(2).textContent()).toBe("running");
    await page.locator("#conn", { hasText: "live" }).waitFor();

    const ingest = await a.req("POST", "/ingest/sensors", [
      { deviceId: "d1", ts: 1, temp: 20 },
      { deviceId: "d1", ts: 2, temp: 22 },
      { deviceId: "d2", ts: 3, temp: 30 },
      { deviceId: "d2", ts: "yesterday" },
      { deviceId: "d1", ts: 12, temp: 1 },
    ]);
    expect(ingest.body).toMatchObject({ accepted: 4, deadLettered: 1 });
    await page.locator('#pipelines tr[data-pipeline="sensors"] td.records-in', { hasText: /^4$/ }).waitFor({ timeout: 10_000 });
    expect(await row.locator("td.dead").textContent()).toBe("1");
    expect(await row.locator("td.rows-out").textContent()).toBe("2");
    const first = page.locator("#rows tr.result-row", { hasText: '"deviceId":"d1","window_start":0,"window_end":10,"n":2,"avg_temp":21' });
    await first.waitFor({ timeout: 10_000 });
    // three charts drawn by uPlot
    await page.locator("#chart-rate .uplot").waitFor({ timeout: 10_000 });
    expect(await page.locator(".uplot").count()).toBe(3);

    await page.fill("#spec", "name: from-form\ntime: { field: ts }\nkey: k\nwindow: { tumbling: 1s }\naggregate: { n: count() }\nsource: { http: {} }\n");
    await page.selectOption("#mode", "micro-batch");
    await page.click("#deploy button[type=submit]");
    await page.locator("#deploy-result", { hasText: "deployed from-form (micro-batch)" }).waitFor({ timeout: 10_000 });
    await page.locator('#pipelines tr[data-pipeline="from-form"]').waitFor({ timeout: 10_000 });
    expect((await a.req("GET", "/pipelines/from-form")).body).toMatchObject({ mode: "micro-batch", status: "running", origin: "api" });

    // a bad spec shows the field path
    await page.fill("#spec", "name: broken\nwindow: { tumbling: -1 }\naggregate: { n: count() }\n");
    await page.click("#deploy button[type=submit]");
    await page.locator("#deploy-result.error", { hasText: "window.tumbling.size" }).waitFor({ timeout: 10_000 });
  }, 60_000);
});
