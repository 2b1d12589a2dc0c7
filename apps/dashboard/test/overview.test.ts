/**
 * The overview in a real browser against real PostgreSQL: counts per workflow and status match the database, the
 * throughput chart counts the finished runs, the page updates itself, and the database password never shows.
 */
import { postgresAvailable } from "@pgqrs/vitest-config/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runStatuses } from "../src/api-types";
import { chromiumAvailable } from "./support/browser";
import { databaseCounts, databasePassword, openHarness } from "./support/harness";
import type { Harness } from "./support/harness";

const ready = (await postgresAvailable()) && chromiumAvailable();

describe.skipIf(!ready)("overview", () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await openHarness({ allowActions: false });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("shows the database's counts per workflow and status, and the totals", async () => {
    const page = await harness.open("#/");
    await page.waitForSelector("#workflow-counts");
    const counts = await databaseCounts(harness.sql);
    const workflows = await page.$$eval("#workflow-counts tbody tr", (rows) => rows.map((row) => (row as HTMLElement).dataset.workflow));
    expect(workflows).toEqual(["send_email", "zip_files"]);
    for (const workflow of ["send_email", "zip_files"]) {
      let total = 0;
      for (const status of runStatuses) {
        const expected = counts.get(`${workflow}/${status}`) ?? 0;
        total += expected;
        expect(await page.textContent(`[data-testid="count-wf-${workflow}-${status}"]`), `${workflow} ${status}`).toBe(String(expected));
      }
      expect(await page.textContent(`[data-testid="count-wf-${workflow}-total"]`)).toBe(String(total));
    }
    for (const status of runStatuses) {
      const expected = [...counts].filter(([key]) => key.endsWith(`/${status}`)).reduce((sum, [, value]) => sum + value, 0);
      expect(await page.textContent(`[data-testid="count-all-${status}"]`)).toBe(String(expected));
      expect(await page.textContent(`[data-testid="total-${status}"]`)).toBe(String(expected));
      // Every status is seeded, so a count stuck at zero cannot pass.
      expect(expected).toBeGreaterThan(0);
    }
    const visible = await harness.sql.query<{ count: string }>(
      "select count(*)::text as count from pgqrs.runs where status = 'QUEUED' and visible_at <= now()",
    );
    expect(await page.textContent('[data-testid="queue-depth"]')).toBe(visible.rows[0]?.count);
  });

  it("charts the runs that finished in the last hour", async () => {
    const page = await harness.open("#/");
    await page.waitForSelector("svg.chart");
    const finished = await harness.sql.query<{ count: string }>(
      "select count(*)::text as count from pgqrs.runs where status in ('SUCCESS', 'ERROR') and finished_at > now() - interval '1 hour'",
    );
    expect(Number(finished.rows[0]?.count)).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid="throughput-total"]')).toBe(finished.rows[0]?.count);
    expect(await page.locator("svg.chart g.bar").count()).toBe(60);
    expect(await page.locator("svg.chart rect.ok").count()).toBeGreaterThan(0);
    expect(await page.locator("svg.chart rect.failed").count()).toBeGreaterThan(0);
  });

  it("updates the counts without reloading the page", async () => {
    const page = await harness.open("#/");
    const cell = '[data-testid="count-wf-zip_files-QUEUED"]';
    await page.waitForSelector(cell);
    const before = Number(await page.textContent(cell));
    // A reload would drop this marker.
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await harness.store.enqueue({ workflow: "zip_files", input: { bucket: "late", prefix: "" } });
    await page.waitForFunction(
      ({ selector, expected }) => document.querySelector(selector)?.textContent === expected,
      { selector: cell, expected: String(before + 1) },
      { timeout: 10_000 },
    );
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  it("never shows the database password", async () => {
    const page = await harness.open("#/");
    await page.waitForSelector("#workflow-counts");
    expect(await page.textContent("#database")).toContain(":***@");
    const html = await page.content();
    expect(html).not.toContain(databasePassword);
    const info = await (await fetch(`${harness.dashboard.url}/api/info`)).text();
    expect(info).toContain("***");
    expect(info).not.toContain(databasePassword);
  });
});
