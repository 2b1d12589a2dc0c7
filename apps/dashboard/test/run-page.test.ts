/**
 * The run page in a real browser: status, attempts, input and output, steps in completion order, the error and its
 * cause chain; user data containing markup renders as text; and without --allow-actions there are no action
 * buttons and the API refuses them.
 */
import { postgresAvailable } from "@pgqrs/vitest-config/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable } from "./support/browser";
import { openHarness } from "./support/harness";
import type { Harness } from "./support/harness";
import { scriptPayload } from "./support/seed";

const ready = (await postgresAvailable()) && chromiumAvailable();

describe.skipIf(!ready)("run page", () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await openHarness({ allowActions: false });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("shows a finished run's status, attempt, input, output and its steps in completion order", async () => {
    const runId = harness.runs.zipOk1 ?? "";
    const page = await harness.open(`#/runs/${runId}`);
    await page.waitForSelector("#steps");
    expect(await page.textContent("#run-status")).toBe("SUCCESS");
    expect(await page.textContent('[data-testid="attempt"]')).toBe("1");
    const stored = await harness.sql.query<{ step_id: string }>(
      "select step_id from pgqrs.steps where run_id = $1 order by seq",
      [runId],
    );
    expect(stored.rows.map((row) => row.step_id)).toEqual(["list_files", "download_files", "create_archive"]);
    const shown = await page.$$eval("#steps > li", (items) => items.map((item) => (item as HTMLElement).dataset.stepId));
    expect(shown).toEqual(stored.rows.map((row) => row.step_id));
    expect(await page.$$eval("#steps .step-index", (items) => items.map((item) => item.textContent))).toEqual(["1", "2", "3"]);
    // Each step shows when it completed, the time since the previous one and its output size.
    expect(await page.textContent("#steps > li:first-child .step-completed")).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(await page.textContent("#steps > li:first-child .step-duration")).toMatch(/^\+\d+(\.\d+)? (ms|s)$/);
    expect(await page.textContent("#steps > li:first-child .step-size")).toBe(`${JSON.stringify(["a.jpg", "b.jpg", "c.jpg"]).length} B`);
    expect(JSON.parse((await page.textContent('[data-testid="run-input"]')) ?? "")).toEqual({ bucket: "photos", prefix: "2024/" });
    expect(JSON.parse((await page.textContent('[data-testid="run-output"]')) ?? "")).toEqual({
      archivePath: "/tmp/photos-2024.zip",
      fileCount: 3,
    });
    await page.click("#steps > li:nth-child(2) summary");
    expect(JSON.parse((await page.textContent('[data-testid="step-output-2"]')) ?? "")).toEqual({ downloaded: 3, bytes: 1_048_576 });
  });

  it("shows the error with its step, code and cause chain", async () => {
    const page = await harness.open(`#/runs/${harness.runs.zipFailed ?? ""}`);
    await page.waitForSelector("#run-error");
    expect(await page.textContent("#run-status")).toBe("ERROR");
    expect(await page.textContent('[data-testid="error-message"]')).toBe("download failed for app.log");
    const where = await page.textContent("#run-error .muted");
    expect(where).toContain('in step "download_files"');
    expect(where).toContain("code PERMANENT");
    expect(await page.$$eval("#error-causes li", (items) => items.map((item) => item.textContent))).toEqual([
      "caused by HttpError: GET s3://logs/app.log returned 403",
      "caused by Error: AccessDenied: the bucket policy forbids this key",
    ]);
  });

  it("shows a paused run's reason, and a void step as void", async () => {
    const paused = await harness.open(`#/runs/${harness.runs.mailPaused ?? ""}`);
    await paused.waitForSelector('[data-testid="pause-reason"]');
    expect(await paused.textContent('[data-testid="pause-reason"]')).toBe("rate limited");
    const voidStep = await harness.open(`#/runs/${harness.runs.mailOk ?? ""}`);
    await voidStep.waitForSelector("#steps");
    expect(await voidStep.textContent('#steps > li[data-step-id="render"] .step-size')).toBe("void");
    expect(await voidStep.textContent('[data-testid="run-output"]')).toBe("null");
  });

  it("shows a cancelled run's status badge, when it was cancelled and why", async () => {
    const page = await harness.open(`#/runs/${harness.runs.zipCancelled ?? ""}`);
    await page.waitForSelector('[data-testid="cancel-reason"]');
    expect(await page.textContent("#run-status")).toBe("CANCELLED");
    expect(await page.getAttribute("#run-status", "class")).toContain("status-cancelled");
    expect(await page.textContent('[data-testid="cancel-reason"]')).toBe("superseded by a newer export");
    expect(await page.textContent('[data-testid="cancel-requested-at"]')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(await page.textContent('[data-testid="run-output"]')).toBe("No output: the run was cancelled.");

    const noReason = await harness.open(`#/runs/${harness.runs.mailCancelled ?? ""}`);
    await noReason.waitForSelector('[data-testid="cancel-reason"]');
    expect(await noReason.textContent('[data-testid="cancel-reason"]')).toBe("none given");
  });

  it("shows a pending cancel on a RUNNING run", async () => {
    const page = await harness.open(`#/runs/${harness.runs.zipCancelling ?? ""}`);
    await page.waitForSelector('[data-testid="cancel-requested-at"]');
    expect(await page.textContent("#run-status")).toBe("RUNNING");
    expect(await page.textContent('[data-testid="cancel-requested-at"]')).toContain("(stops at its next step boundary)");
    expect(await page.textContent('[data-testid="cancel-reason"]')).toBe("too slow");
    expect(await page.textContent(".facts")).toContain("Cancel requested");
  });

  it("renders a payload containing <script> as text, and runs none of it", async () => {
    const page = await harness.open(`#/runs/${harness.runs.xss ?? ""}`);
    await page.waitForSelector("#steps");
    await page.click("#steps summary");
    expect(await page.textContent('[data-testid="error-message"]')).toBe(scriptPayload);
    expect(await page.textContent("#steps .step-name")).toBe(scriptPayload);
    expect(await page.textContent("#error-causes li")).toBe(`caused by ${scriptPayload}: ${scriptPayload}`);
    expect(JSON.parse((await page.textContent('[data-testid="run-input"]')) ?? "")).toEqual({ note: scriptPayload });
    expect(JSON.parse((await page.textContent('[data-testid="step-output-1"]')) ?? "")).toEqual({ html: scriptPayload });
    // No element came out of the payload, and no handler ran.
    expect(await page.locator("#app script, #app img, #app svg").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pgqrsXss?: unknown }).__pgqrsXss)).toBeUndefined();

    const table = await harness.open("#/runs?status=ERROR");
    await table.waitForSelector(`#runs-table tr[data-run-id="${harness.runs.xss ?? ""}"]`);
    expect(await table.textContent(`#runs-table tr[data-run-id="${harness.runs.xss ?? ""}"] td.note`)).toBe(`Error: ${scriptPayload}`);
    expect(await table.locator("#app script, #app img, #app svg").count()).toBe(0);
    expect(await table.evaluate(() => (window as unknown as { __pgqrsXss?: unknown }).__pgqrsXss)).toBeUndefined();
  });

  it("has no resume, retry or cancel button without --allow-actions, and the API answers 403", async () => {
    const paused = await harness.open(`#/runs/${harness.runs.zipPaused ?? ""}`);
    await paused.waitForSelector("#steps");
    expect(await paused.textContent("#run-status")).toBe("PAUSED");
    expect(await paused.textContent("#mode")).toBe("read-only");
    expect(await paused.locator("#resume-button, #retry-button, #cancel-button").count()).toBe(0);
    const queued = await harness.open(`#/runs/${harness.runs.zipQueued ?? ""}`);
    await queued.waitForSelector("#run-status");
    expect(await queued.locator("#cancel-button").count()).toBe(0);
    const failed = await harness.open(`#/runs/${harness.runs.zipFailed ?? ""}`);
    await failed.waitForSelector("#run-error");
    expect(await failed.locator("#resume-button, #retry-button").count()).toBe(0);

    // The page's own origin, the way the button would call it.
    const statuses = await failed.evaluate(async (ids) => {
      const post = (path: string) =>
        fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }).then((response) => response.status);
      return [
        await post(`/api/runs/${ids.paused}/resume`),
        await post(`/api/runs/${ids.failed}/retry`),
        await post(`/api/runs/${ids.paused}/cancel`),
      ];
    }, { paused: harness.runs.zipPaused ?? "", failed: harness.runs.zipFailed ?? "" });
    expect(statuses).toEqual([403, 403, 403]);
    const after = await harness.sql.query<{ id: string; status: string; visible_in_future: boolean }>(
      "select id::text as id, status, coalesce(visible_at > now(), false) as visible_in_future from pgqrs.runs where id = any($1::bigint[]) order by id",
      [[harness.runs.zipFailed, harness.runs.zipPaused]],
    );
    expect(after.rows).toEqual([
      { id: harness.runs.zipFailed, status: "ERROR", visible_in_future: false },
      { id: harness.runs.zipPaused, status: "PAUSED", visible_in_future: true },
    ]);
  });

  it("says so for an unknown run", async () => {
    const page = await harness.open("#/runs/999999");
    await page.waitForSelector("#run-missing");
  });
});
