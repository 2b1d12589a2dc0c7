/**
 * With --allow-actions: the run page offers resume for a PAUSED run, retry for an ERROR run and cancel for a QUEUED,
 * PAUSED or RUNNING run, each behind a confirmation, and the store changes only when the user confirms. The API still
 * refuses cross-site requests.
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

describe.skipIf(!ready)("resume, retry and cancel with --allow-actions", () => {
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

  it("offers only cancel for queued and running runs, and no action for finished or cancelling runs", async () => {
    for (const label of ["zipQueued", "zipRunning"]) {
      const page = await harness.open(`#/runs/${harness.runs[label] ?? ""}`);
      await page.waitForSelector("#cancel-button");
      expect(await page.locator("#resume-button, #retry-button").count(), label).toBe(0);
    }
    // SUCCESS and CANCELLED are final; a RUNNING run whose cancel is pending needs no second one.
    for (const label of ["zipOk1", "zipCancelled", "zipCancelling"]) {
      const page = await harness.open(`#/runs/${harness.runs[label] ?? ""}`);
      await page.waitForSelector("#run-status");
      expect(await page.locator("#resume-button, #retry-button, #cancel-button").count(), label).toBe(0);
    }
  });

  it("cancels a queued run only after the user confirms, and the page follows it to CANCELLED", async () => {
    const runId = harness.runs.mailQueued ?? "";
    const page = await harness.open(`#/runs/${runId}`);
    await page.waitForSelector("#cancel-button");

    const dismissed = answerNextDialog(page, false);
    await page.click("#cancel-button");
    expect(await dismissed).toContain(`Cancel run ${runId}? It ends CANCELLED at once`);
    expect((await runRow(runId))?.status).toBe("QUEUED");

    const accepted = answerNextDialog(page, true);
    await page.click("#cancel-button");
    await accepted;
    await page.waitForSelector("#flash .ok");
    expect(await page.textContent("#flash")).toContain(`Run ${runId} cancelled: it is CANCELLED.`);
    await page.waitForFunction(() => document.querySelector("#run-status")?.textContent === "CANCELLED", undefined, { timeout: 10_000 });
    const stored = await harness.sql.query<{ status: string; cancel_reason: string | null }>(
      "select status, cancel_reason from pgqrs.runs where id = $1",
      [runId],
    );
    expect(stored.rows[0]).toEqual({ status: "CANCELLED", cancel_reason: "cancelled from the dashboard" });
    expect(await page.textContent('[data-testid="cancel-reason"]')).toBe("cancelled from the dashboard");
    expect(await page.locator("#cancel-button").count()).toBe(0);
  });

  it("offers resume and cancel for a paused run; cancel ends it at once", async () => {
    const runId = harness.runs.mailPaused ?? "";
    const page = await harness.open(`#/runs/${runId}`);
    await page.waitForSelector("#cancel-button");
    expect(await page.locator("#resume-button").count()).toBe(1);
    const accepted = answerNextDialog(page, true);
    await page.click("#cancel-button");
    await accepted;
    await page.waitForFunction(() => document.querySelector("#run-status")?.textContent === "CANCELLED", undefined, { timeout: 10_000 });
    expect((await runRow(runId))?.status).toBe("CANCELLED");
    expect(await page.locator("#resume-button, #cancel-button").count()).toBe(0);
  });

  it("asks a running run to stop: it stays RUNNING with the request shown", async () => {
    const runId = harness.runs.zipRunning ?? "";
    const page = await harness.open(`#/runs/${runId}`);
    await page.waitForSelector("#cancel-button");
    const accepted = answerNextDialog(page, true);
    await page.click("#cancel-button");
    expect(await accepted).toContain("It is RUNNING: its worker stops it at its next step boundary");
    await page.waitForSelector("#flash .ok");
    expect(await page.textContent("#flash")).toContain(`Cancel requested for run ${runId}: it is still RUNNING`);
    await page.waitForSelector('[data-testid="cancel-requested-at"]');
    expect(await page.textContent("#run-status")).toBe("RUNNING");
    expect(await page.locator("#cancel-button").count()).toBe(0);
    const stored = await harness.sql.query<{ status: string; requested: boolean }>(
      "select status, cancel_requested_at is not null as requested from pgqrs.runs where id = $1",
      [runId],
    );
    expect(stored.rows[0]).toEqual({ status: "RUNNING", requested: true });
  });

  it("answers 409 for a run in the wrong state, and refuses cross-site and non-JSON requests", async () => {
    const base = harness.dashboard.url;
    const post = (path: string, headers: Record<string, string>) => fetch(`${base}${path}`, { method: "POST", headers, body: "{}" });
    const json = { "content-type": "application/json" };
    const wrongState = await post(`/api/runs/${harness.runs.zipOk2 ?? ""}/retry`, json);
    expect(wrongState.status).toBe(409);
    expect(await wrongState.json()).toMatchObject({ error: { code: "INVALID_RUN_STATE" } });
    expect((await post("/api/runs/424242/resume", json)).status).toBe(404);
    const finished = await post(`/api/runs/${harness.runs.zipOk2 ?? ""}/cancel`, json);
    expect(finished.status).toBe(409);
    expect(await finished.json()).toMatchObject({ error: { code: "INVALID_RUN_STATE" } });
    expect((await post("/api/runs/424242/cancel", json)).status).toBe(404);

    const failed = harness.runs.zipFailed ?? "";
    expect((await post(`/api/runs/${failed}/retry`, { ...json, origin: "http://evil.example" })).status).toBe(403);
    expect((await post(`/api/runs/${failed}/retry`, { "content-type": "text/plain" })).status).toBe(415);
    expect((await runRow(failed))?.status).toBe("ERROR");
  });
});
