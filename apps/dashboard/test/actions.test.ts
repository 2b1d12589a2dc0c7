/**
 * With --allow-actions: the run page offers resume for a PAUSED run and retry for an ERROR run, each behind a
 * confirmation, and the store changes only when the user confirms. The API still refuses cross-site requests.
 */
import { postgresAvailable } from "@pgqrs/vitest-config/postgres";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable } from "./support/browser";
import { openHarness } from "./support/harness";
import type { Harness } from "./support/harness";

const ready = (await postgresAvailable()) && chromiumAvailable();

/** Answers the next confirmation dialog and records its question. */
function answerNextDialog(page: Page, accept: boolean): Promise<string> {
  return new Promise((resolve) => {
    page.once("dialog", (dialog) => {
      resolve(dialog.message());
      void (accept ? dialog.accept() : dialog.dismiss());
    });
  });
}

describe.skipIf(!ready)("resume and retry with --allow-actions", () => {
  let harness: Harness;

  async function runRow(runId: string) {
    const result = await harness.sql.query<{ status: string; visible_now: boolean }>(
      "select status, coalesce(visible_at <= now(), false) as visible_now from pgqrs.runs where id = $1",
      [runId],
    );
    return result.rows[0];
  }

  beforeAll(async () => {
    harness = await openHarness({ allowActions: true });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("resumes a paused run only after the user confirms", async () => {
    const runId = harness.runs.zipPaused ?? "";
    const page = await harness.open(`#/runs/${runId}`);
    await page.waitForSelector("#resume-button");
    expect(await page.textContent("#mode")).toBe("actions enabled");
    expect(await page.locator("#retry-button").count()).toBe(0);

    const dismissed = answerNextDialog(page, false);
    await page.click("#resume-button");
    expect(await dismissed).toContain(`Resume run ${runId}`);
    expect(await runRow(runId)).toEqual({ status: "PAUSED", visible_now: false });

    const accepted = answerNextDialog(page, true);
    await page.click("#resume-button");
    await accepted;
    await page.waitForSelector("#flash .ok");
    expect(await page.textContent("#flash")).toContain(`Run ${runId} resumed`);
    expect(await runRow(runId)).toEqual({ status: "PAUSED", visible_now: true });
  });

  it("retries a failed run only after the user confirms, and the page follows it to QUEUED", async () => {
    const runId = harness.runs.mailFailed ?? "";
    const page = await harness.open(`#/runs/${runId}`);
    await page.waitForSelector("#retry-button");
    expect(await page.locator("#resume-button").count()).toBe(0);

    const dismissed = answerNextDialog(page, false);
    await page.click("#retry-button");
    expect(await dismissed).toContain(`Retry run ${runId}`);
    expect((await runRow(runId))?.status).toBe("ERROR");

    const accepted = answerNextDialog(page, true);
    await page.click("#retry-button");
    await accepted;
    await page.waitForFunction(() => document.querySelector("#run-status")?.textContent === "QUEUED", undefined, { timeout: 10_000 });
    expect((await runRow(runId))?.status).toBe("QUEUED");
    expect(await page.locator("#retry-button").count()).toBe(0);
    // The last error stays visible on the queued run.
    expect(await page.textContent('[data-testid="error-message"]')).toBe("mailbox full");
  });

  it("offers no action for runs that are queued, running or finished successfully", async () => {
    for (const label of ["zipQueued", "zipRunning", "zipOk1"]) {
      const page = await harness.open(`#/runs/${harness.runs[label] ?? ""}`);
      await page.waitForSelector("#run-status");
      expect(await page.locator("#resume-button, #retry-button").count(), label).toBe(0);
    }
  });

  it("answers 409 for a run in the wrong state, and refuses cross-site and non-JSON requests", async () => {
    const base = harness.dashboard.url;
    const post = (path: string, headers: Record<string, string>) => fetch(`${base}${path}`, { method: "POST", headers, body: "{}" });
    const json = { "content-type": "application/json" };
    const wrongState = await post(`/api/runs/${harness.runs.zipOk2 ?? ""}/retry`, json);
    expect(wrongState.status).toBe(409);
    expect(await wrongState.json()).toMatchObject({ error: { code: "INVALID_RUN_STATE" } });
    expect((await post("/api/runs/424242/resume", json)).status).toBe(404);

    const failed = harness.runs.zipFailed ?? "";
    expect((await post(`/api/runs/${failed}/retry`, { ...json, origin: "http://evil.example" })).status).toBe(403);
    expect((await post(`/api/runs/${failed}/retry`, { "content-type": "text/plain" })).status).toBe(415);
    expect((await runRow(failed))?.status).toBe("ERROR");
  });
});
