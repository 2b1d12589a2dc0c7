/** The runs table in a real browser: filters by workflow and status, and pages through the store's cursor. */
import { postgresAvailable } from "@pgqrs/vitest-config/postgres";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable } from "./support/browser";
import { openHarness } from "./support/harness";
import type { Harness } from "./support/harness";

const ready = (await postgresAvailable()) && chromiumAvailable();

interface Row {
  runId: string;
  workflow: string;
  status: string;
}

function rows(page: Page): Promise<Row[]> {
  return page.$$eval("#runs-table tbody tr", (elements) =>
    elements.map((element) => {
      const data = (element as HTMLElement).dataset;
      return { runId: data.runId ?? "", workflow: data.workflow ?? "", status: data.status ?? "" };
    }),
  );
}

/** Waits until the table shows exactly these run ids (the page re-renders after each filter change). */
async function waitForRunIds(page: Page, ids: readonly string[]): Promise<void> {
  await page.waitForFunction(
    (expected) =>
      JSON.stringify([...document.querySelectorAll<HTMLElement>("#runs-table tbody tr")].map((row) => row.dataset.runId)) ===
      JSON.stringify(expected),
    ids,
    { timeout: 10_000 },
  );
}

describe.skipIf(!ready)("runs table", () => {
  let harness: Harness;
  let bulkIds: string[];

  async function idsWhere(where: string, values: unknown[]): Promise<string[]> {
    const result = await harness.sql.query<{ id: string }>(
      `select id::text as id from pgqrs.runs where ${where} order by created_at desc, id desc`,
      values,
    );
    return result.rows.map((row) => row.id);
  }

  beforeAll(async () => {
    harness = await openHarness({ allowActions: false });
    await harness.store.createWorkflow("bulk_import");
    for (let index = 0; index < 57; index += 1) {
      await harness.store.enqueue({ workflow: "bulk_import", input: { index } });
    }
    bulkIds = await idsWhere("workflow = $1", ["bulk_import"]);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("lists the newest runs first and filters by workflow with the select", async () => {
    const page = await harness.open("#/runs?workflow=zip_files");
    await waitForRunIds(page, await idsWhere("workflow = $1", ["zip_files"]));
    expect(new Set((await rows(page)).map((row) => row.workflow))).toEqual(new Set(["zip_files"]));

    await page.selectOption("#filter-workflow", "send_email");
    await waitForRunIds(page, await idsWhere("workflow = $1", ["send_email"]));
    expect(page.url()).toContain("workflow=send_email");
  });

  it("filters by status, and by workflow and status together", async () => {
    const page = await harness.open("#/runs");
    await page.selectOption("#filter-status", "ERROR");
    const errors = await idsWhere("status = $1", ["ERROR"]);
    expect(errors.length).toBeGreaterThan(1);
    await waitForRunIds(page, errors);
    expect(new Set((await rows(page)).map((row) => row.status))).toEqual(new Set(["ERROR"]));

    await page.selectOption("#filter-workflow", "zip_files");
    await waitForRunIds(page, await idsWhere("status = $1 and workflow = $2", ["ERROR", "zip_files"]));
    expect(await page.inputValue("#filter-status")).toBe("ERROR");

    await page.selectOption("#filter-status", "RUNNING");
    await waitForRunIds(page, await idsWhere("status = $1 and workflow = $2", ["RUNNING", "zip_files"]));
  });

  it("filters by CANCELLED and shows each cancelled run's reason", async () => {
    const page = await harness.open("#/runs");
    const choices = await page.$$eval("#filter-status option", (options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(choices).toEqual(["", "QUEUED", "RUNNING", "PAUSED", "SUCCESS", "ERROR", "CANCELLED"]);
    await page.selectOption("#filter-status", "CANCELLED");
    const cancelled = await idsWhere("status = $1", ["CANCELLED"]);
    expect(cancelled).toEqual([harness.runs.mailCancelled, harness.runs.zipCancelled]);
    await waitForRunIds(page, cancelled);
    expect(page.url()).toContain("status=CANCELLED");
    const row = `#runs-table tr[data-run-id="${harness.runs.zipCancelled ?? ""}"]`;
    expect(await page.textContent(`${row} td.note`)).toBe("cancelled: superseded by a newer export");
    expect(await page.getAttribute(`${row} .badge`, "class")).toContain("status-cancelled");
  });

  it("shows an empty state when nothing matches", async () => {
    const page = await harness.open("#/runs?workflow=bulk_import&status=SUCCESS");
    await page.waitForSelector("#runs-empty");
  });

  it("pages through every run exactly once with the cursor, and back", async () => {
    expect(bulkIds).toHaveLength(57);
    const page = await harness.open("#/runs?workflow=bulk_import");
    await waitForRunIds(page, bulkIds.slice(0, 50));
    expect(await page.textContent("#page-number")).toBe("Page 1");
    expect(await page.isDisabled("#page-newer")).toBe(true);

    await page.click("#page-older");
    await waitForRunIds(page, bulkIds.slice(50));
    expect(await page.textContent("#page-number")).toBe("Page 2");
    expect(await page.isDisabled("#page-older")).toBe(true);

    await page.click("#page-newer");
    await waitForRunIds(page, bulkIds.slice(0, 50));
  });

  it("keeps paging by cursor while new runs arrive, and shows them live on the first page", async () => {
    const page = await harness.open("#/runs?workflow=bulk_import");
    await waitForRunIds(page, bulkIds.slice(0, 50));
    await page.click("#page-older");
    await waitForRunIds(page, bulkIds.slice(50));
    // New runs sort first; the second page stays the same seven runs.
    const { message } = await harness.store.enqueue({ workflow: "bulk_import", input: { index: "late" } });
    await page.click("#page-newer");
    await waitForRunIds(page, [message.runId, ...bulkIds.slice(0, 49)]);
  });
});
