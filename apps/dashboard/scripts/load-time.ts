/**
 * Measures how long the dashboard takes to show its pages with 10,000 runs in the database
 * (`pnpm --filter @pgqrs/dashboard load-time`). Two shapes: runs spread over the last day, and all 10,000 in the
 * last hour (the throughput chart's worst case). Each load is a fresh document in headless Chromium, timed from
 * navigation to the page's first complete render; the throughput cache (5 s) is let expire between loads, so every
 * load pays for the whole computation.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { loadavg } from "node:os";
import { connect } from "@pgqrs/postgres-store";
import { startDashboard } from "../src/start-dashboard";
import { launchBrowser } from "../test/support/browser";
import { migratedDatabase } from "../test/support/database";
import { bulkSeed } from "./support/bulk-seed";

const loads = 5;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function timeApi(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return performance.now() - started;
}

async function measure(shape: { name: string; spanMs: number }): Promise<void> {
  const database = await migratedDatabase();
  const seedStarted = performance.now();
  await bulkSeed(database.url, { count: 10_000, spanMs: shape.spanMs, workflows: ["zip_files", "send_email", "sync_inventory"] });
  const seedMs = performance.now() - seedStarted;
  const store = await connect(database.url, { migrate: false });
  const dashboard = await startDashboard({ store, databaseUrl: database.url, port: 0 });
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const runId = (await store.listRuns({ status: "SUCCESS", limit: 1 })).runs[0]?.runId ?? "1";
  const views = [
    { name: "overview", hash: "#/", selector: "#workflow-counts" },
    { name: "runs table", hash: "#/runs", selector: "#runs-table" },
    { name: "run page", hash: `#/runs/${runId}`, selector: "#steps" },
  ];
  try {
    const results: Record<string, number[]> = {};
    for (let index = 0; index < loads; index += 1) {
      // Let the throughput cache expire, so the overview computes the chart again.
      await sleep(5200);
      for (const view of views) {
        await page.goto("about:blank");
        const started = performance.now();
        await page.goto(`${dashboard.url}/${view.hash}`);
        await page.waitForSelector(view.selector);
        (results[view.name] ??= []).push(performance.now() - started);
      }
    }
    await sleep(5200);
    const api = {
      "GET /api/overview (cold)": await timeApi(`${dashboard.url}/api/overview`),
      "GET /api/overview (cached chart)": await timeApi(`${dashboard.url}/api/overview`),
      "GET /api/runs": await timeApi(`${dashboard.url}/api/runs?limit=50`),
      "GET /api/runs/:id": await timeApi(`${dashboard.url}/api/runs/${runId}`),
    };
    const overview = (await (await fetch(`${dashboard.url}/api/overview`)).json()) as {
      totals: { total: number };
      throughput: { complete: boolean; buckets: { success: number; error: number }[] };
    };
    const finished = overview.throughput.buckets.reduce((sum, bucket) => sum + bucket.success + bucket.error, 0);
    console.log(`\n## 10,000 runs, ${shape.name} (seeded in ${Math.round(seedMs)} ms)`);
    console.log(`runs in the database: ${overview.totals.total}; finished in the last hour per the chart: ${finished} (complete: ${overview.throughput.complete})`);
    for (const [name, values] of Object.entries(results)) {
      console.log(`${name.padEnd(12)} median ${Math.round(median(values))} ms  (loads: ${values.map((value) => Math.round(value)).join(", ")} ms)`);
    }
    for (const [name, value] of Object.entries(api)) console.log(`${name.padEnd(34)} ${Math.round(value)} ms`);
  } finally {
    await browser.close();
    await dashboard.close();
    await store.close();
    await database.drop();
  }
}

console.log(`load average at start: ${loadavg().map((value) => value.toFixed(1)).join(" ")}`);
await measure({ name: "created over the last 24 hours", spanMs: 24 * 3_600_000 });
await measure({ name: "all created in the last hour", spanMs: 3_600_000 });
console.log(`load average at end: ${loadavg().map((value) => value.toFixed(1)).join(" ")}`);
