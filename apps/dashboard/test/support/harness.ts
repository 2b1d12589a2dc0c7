/**
 * One dashboard under test: a migrated database of the file's own, seeded with runs in every status, the dashboard
 * serving it on a free loopback port, and a headless Chromium. The database URL carries a password (the server
 * trusts local connections, so any password works) to prove it never reaches the page.
 */
import type { WorkflowStore } from "@pgqrs/core/storage";
import { connect } from "@pgqrs/postgres-store";
import type { TestDatabase } from "@pgqrs/vitest-config/postgres";
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { startDashboard } from "../../src/start-dashboard";
import type { RunningDashboard } from "../../src/start-dashboard";
import { launchBrowser } from "./browser";
import { migratedDatabase } from "./database";
import { seedRuns, standardRuns } from "./seed";
import type { SeededRuns } from "./seed";

/** The password put in the dashboard's database URL. */
export const databasePassword = "s3cret-Pa55";

/** Everything a browser test uses. */
export interface Harness {
  database: TestDatabase;
  /** The database URL with {@link databasePassword} in it. */
  databaseUrl: string;
  store: WorkflowStore;
  /** A direct connection for checking what the database holds. */
  sql: pg.Client;
  runs: SeededRuns;
  dashboard: RunningDashboard;
  browser: Browser;
  /**
   * Loads the dashboard afresh at a hash route (`#/runs`) and waits until the first refresh rendered. Reuses one tab
   * (a new document each time: it goes through about:blank), since opening tabs is the slow part.
   */
  open(hash: string): Promise<Page>;
  close(): Promise<void>;
}

function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
}

/** Starts everything; call `close()` in `afterAll`. */
export async function openHarness(options: { allowActions: boolean }): Promise<Harness> {
  const database = await migratedDatabase();
  const databaseUrl = withPassword(database.url, databasePassword);
  const store = await connect(databaseUrl, { migrate: false });
  const sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
  const runs = await seedRuns(store, standardRuns);
  const dashboard = await startDashboard({ store, databaseUrl, port: 0, allowActions: options.allowActions });
  const browser = await launchBrowser();
  let page: Page | undefined;
  return {
    database,
    databaseUrl,
    store,
    sql,
    runs,
    dashboard,
    browser,
    async open(hash) {
      page ??= await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.removeAllListeners("dialog");
      await page.goto("about:blank");
      await page.goto(`${dashboard.url}/${hash}`);
      await page.waitForSelector("#live:not(:empty)");
      return page;
    },
    async close() {
      await browser.close();
      await dashboard.close();
      await store.close();
      await sql.end();
      await database.drop();
    },
  };
}

/** Counts in the database, by workflow and status, as `workflow/STATUS` → count. */
export async function databaseCounts(sql: pg.Client): Promise<Map<string, number>> {
  const result = await sql.query<{ workflow: string; status: string; count: string }>(
    "select workflow, status, count(*)::text as count from pgqrs.runs group by workflow, status",
  );
  return new Map(result.rows.map((row) => [`${row.workflow}/${row.status}`, Number(row.count)]));
}
