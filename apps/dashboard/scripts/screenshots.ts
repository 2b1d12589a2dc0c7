/**
 * Takes the README's screenshots (`pnpm --filter @pgqrs/dashboard screenshots`): seeds a fresh database with one failed
 * run with a cause chain (through the store API) and six hours of runs (bulk SQL), and saves the overview and that run's page
 * to docs/images/ at the repository root.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { connect } from "@pgqrs/postgres-store";
import pg from "pg";
import { startDashboard } from "../src/start-dashboard";
import { launchBrowser } from "../test/support/browser";
import { migratedDatabase } from "../test/support/database";
import { seedRuns } from "../test/support/seed";
import { bulkSeed } from "./support/bulk-seed";

const imagesDir = fileURLToPath(new URL("../../../docs/images/", import.meta.url));

/** Spaces the featured run's steps out, as a real run's would be (the seed writes them within milliseconds). */
async function spreadSteps(url: string, runId: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `with timeline as (
         select step_id, offset_ms from (values ('list_files', 420), ('download_files', 6830), ('verify_checksums', 7410)) t(step_id, offset_ms)
       )
       update pgqrs.steps s set completed_at = r.started_at + t.offset_ms * interval '1 millisecond'
       from pgqrs.runs r, timeline t where s.run_id = r.id and r.id = $1 and s.step_id = t.step_id`,
      [runId],
    );
    await client.query("update pgqrs.runs set finished_at = started_at + interval '9120 milliseconds' where id = $1", [runId]);
  } finally {
    await client.end();
  }
}

const database = await migratedDatabase();
const workflows = ["zip_files", "send_email", "sync_inventory"];
const shown = new URL(database.url);
shown.password = "not-shown";
const store = await connect(shown.toString(), { migrate: false });
const { featured } = await seedRuns(store, [
  {
    label: "featured",
    workflow: "zip_files",
    input: { bucket: "customer-exports", prefix: "2024/06/acme/" },
    end: "error",
    steps: [
      { id: "list_files", output: ["invoices.csv", "orders.csv", "refunds.csv", "customers.csv"] },
      { id: "download_files", output: { downloaded: 4, bytes: 18_734_112, dir: "/tmp/pgqrs-7f3a" } },
      { id: "verify_checksums", output: { ok: 4 } },
    ],
    error: {
      name: "PermanentError",
      message: "cannot write the archive: the disk is full",
      code: "PERMANENT",
      stepId: "create_archive",
      causes: [
        { name: "Error", message: "ENOSPC: no space left on device, write" },
        { name: "SystemError", message: "/tmp/pgqrs-7f3a/archive.zip: 0 bytes free on /tmp" },
      ],
    },
  },
]);
if (featured === undefined) throw new Error("the featured run was not seeded");
// After the featured run: the bulk seed leaves QUEUED runs that its claim would otherwise take.
await bulkSeed(database.url, { count: 2400, spanMs: 6 * 3_600_000, workflows });
await spreadSteps(database.url, featured);

const dashboard = await startDashboard({ store, databaseUrl: shown.toString(), port: 0, allowActions: true });
const browser = await launchBrowser();
try {
  mkdirSync(imagesDir, { recursive: true });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  await page.goto(`${dashboard.url}/#/`);
  await page.waitForSelector("#workflow-counts");
  await page.screenshot({ path: `${imagesDir}dashboard-overview.png`, fullPage: true });
  await page.goto(`${dashboard.url}/#/runs/${featured}`);
  await page.waitForSelector("#steps");
  await page.click('#steps > li[data-step-id="download_files"] summary');
  await page.screenshot({ path: `${imagesDir}dashboard-run.png`, fullPage: true });
  console.log(`saved ${imagesDir}dashboard-overview.png and dashboard-run.png`);
} finally {
  await browser.close();
  await dashboard.close();
  await store.close();
  await database.drop();
}
