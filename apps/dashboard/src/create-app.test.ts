import type { WorkflowStore } from "@pgqrs/core/storage";
import { createFakeClock, createMemoryStore } from "@pgqrs/core/testing";
import type { FakeClock, MemoryStore } from "@pgqrs/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import type { ApiOverview, ApiRunDetail, ApiRunPage } from "./api-types";
import { createDashboardApp } from "./create-app";
import type { DashboardAppOptions } from "./create-app";

const host = { host: "127.0.0.1:4000" };
const jsonPost = { method: "POST", headers: { ...host, "content-type": "application/json" }, body: "{}" };

describe("dashboard API", () => {
  let clock: FakeClock;
  let store: MemoryStore<FakeClock>;
  let ids: { paused: string; failed: string; done: string; queued: string };

  function app(options: Partial<DashboardAppOptions> = {}) {
    return createDashboardApp({ store, databaseLabel: "postgres://app:***@db/prod", now: clock.now, ...options });
  }

  beforeEach(async () => {
    clock = createFakeClock({ start: new Date("2024-06-01T10:00:00.000Z") });
    store = createMemoryStore({ clock });
    await store.createWorkflow("w");
    const { workerId } = await store.registerWorker({ name: "t", workflow: "w" });
    const claim = async () => {
      await store.enqueue({ workflow: "w", input: { big: "x".repeat(70_000) } });
      const [run] = await store.claimRuns({ workerId, workflow: "w", limit: 1, leaseMs: 60_000 });
      if (run === undefined) throw new Error("nothing claimed");
      return { runId: run.runId, leaseToken: run.leaseToken };
    };
    const paused = await claim();
    await store.pauseRun({ ...paused, delayMs: 3_600_000, reason: "approval" });
    const failed = await claim();
    await store.saveStep({ ...failed, stepId: "one", output: { ok: true } });
    clock.advance(1500);
    await store.saveStep({ ...failed, stepId: "two", output: undefined });
    await store.failRun({ ...failed, error: { name: "Error", message: "boom", attempt: 1, causes: [{ name: "Cause", message: "deep" }] } });
    const done = await claim();
    await store.completeRun({ ...done, output: 42 });
    const queued = (await store.enqueue({ workflow: "w", input: null })).message.runId;
    ids = { paused: paused.runId, failed: failed.runId, done: done.runId, queued };
  });

  it("reports counts per workflow and status, and the last hour's throughput", async () => {
    const response = await app().request("/api/overview", { headers: host });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const overview = (await response.json()) as ApiOverview;
    const expected = { QUEUED: 1, RUNNING: 0, PAUSED: 1, SUCCESS: 1, ERROR: 1, CANCELLED: 0 };
    expect(overview.totals).toEqual({ byStatus: expected, total: 4 });
    expect(overview.workflows).toEqual([{ name: "w", counts: { byStatus: expected, total: 4 } }]);
    expect(overview.visibleQueued).toBe(1);
    const finished = overview.throughput.buckets.reduce((sum, bucket) => sum + bucket.success + bucket.error, 0);
    expect(finished).toBe(2);
  });

  it("lists runs with filters and a cursor", async () => {
    const first = (await (await app().request("/api/runs?limit=2", { headers: host })).json()) as ApiRunPage;
    expect(first.runs.map((run) => run.runId)).toEqual([ids.queued, ids.done]);
    expect(first.nextCursor).not.toBeNull();
    const second = (await (
      await app().request(`/api/runs?limit=2&cursor=${encodeURIComponent(first.nextCursor ?? "")}`, { headers: host })
    ).json()) as ApiRunPage;
    expect(second.runs.map((run) => run.runId)).toEqual([ids.failed, ids.paused]);
    const errors = (await (await app().request("/api/runs?status=ERROR&workflow=w", { headers: host })).json()) as ApiRunPage;
    expect(errors.runs.map((run) => [run.runId, run.errorSummary])).toEqual([[ids.failed, "Error: boom"]]);
    expect((await app().request("/api/runs?status=LOST", { headers: host })).status).toBe(400);
    expect((await app().request("/api/runs?limit=0", { headers: host })).status).toBe(400);
    expect((await app().request("/api/runs?cursor=garbage", { headers: host })).status).toBe(400);
  });

  it("returns a run with its steps on a timeline, payloads cut for display, and the raw run", async () => {
    const run = (await (await app().request(`/api/runs/${ids.failed}`, { headers: host })).json()) as ApiRunDetail;
    expect(run.steps.map((step) => [step.stepId, step.sincePreviousMs, step.output.present, step.output.bytes])).toEqual([
      ["one", 0, true, 11],
      ["two", 1500, false, 0],
    ]);
    expect(run.error).toMatchObject({ name: "Error", message: "boom", causes: [{ name: "Cause", message: "deep" }] });
    expect(run.input).toMatchObject({ present: true, truncated: true, bytes: 70_010 });
    expect(run.input.text.length).toBe(64 * 1024);
    const raw = await app().request(`/api/runs/${ids.failed}/raw`, { headers: host });
    expect(((await raw.json()) as { input: { big: string } }).input.big).toHaveLength(70_000);
    expect((await app().request("/api/runs/12345", { headers: host })).status).toBe(404);
  });

  it("refuses actions with 403 unless they are allowed", async () => {
    const response = await app().request(`/api/runs/${ids.paused}/resume`, jsonPost);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "ACTIONS_DISABLED" } });
    expect((await app().request(`/api/runs/${ids.failed}/retry`, jsonPost)).status).toBe(403);
    expect((await store.getRun({ runId: ids.failed }))?.status).toBe("ERROR");
    expect((await app().request(`/api/runs/${ids.queued}/cancel`, jsonPost)).status).toBe(403);
    expect((await store.getRun({ runId: ids.queued }))?.status).toBe("QUEUED");
    const info = await (await app().request("/api/info", { headers: host })).json();
    expect(info).toEqual({ database: "postgres://app:***@db/prod", allowActions: false, pollIntervalMs: 2000 });
  });

  it("resumes and retries when allowed, and answers 409 and 404 for the wrong run", async () => {
    const allowed = app({ allowActions: true });
    expect((await allowed.request(`/api/runs/${ids.paused}/resume`, jsonPost)).status).toBe(200);
    expect((await store.getRun({ runId: ids.paused }))?.visibleAt?.getTime()).toBe(clock.now());
    const retried = await allowed.request(`/api/runs/${ids.failed}/retry`, jsonPost);
    expect(await retried.json()).toMatchObject({ runId: ids.failed, status: "QUEUED" });
    const wrong = await allowed.request(`/api/runs/${ids.done}/resume`, jsonPost);
    expect(wrong.status).toBe(409);
    expect(await wrong.json()).toMatchObject({ error: { code: "INVALID_RUN_STATE" } });
    expect((await allowed.request("/api/runs/999/retry", jsonPost)).status).toBe(404);
  });

  it("cancels a queued run with its reason when allowed, counts it, and refuses a finished run or a bad reason", async () => {
    const allowed = app({ allowActions: true });
    const cancelled = await allowed.request(`/api/runs/${ids.queued}/cancel`, { ...jsonPost, body: JSON.stringify({ reason: "not needed" }) });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ runId: ids.queued, status: "CANCELLED", cancelReason: "not needed" });
    const detail = (await (await allowed.request(`/api/runs/${ids.queued}`, { headers: host })).json()) as ApiRunDetail;
    expect(detail.cancelRequestedAt).toBe(new Date(clock.now()).toISOString());
    const overview = (await (await allowed.request("/api/overview", { headers: host })).json()) as ApiOverview;
    expect(overview.totals.byStatus.CANCELLED).toBe(1);
    const page = (await (await allowed.request("/api/runs?status=CANCELLED", { headers: host })).json()) as ApiRunPage;
    expect(page.runs.map((run) => run.runId)).toEqual([ids.queued]);

    const finished = await allowed.request(`/api/runs/${ids.done}/cancel`, jsonPost);
    expect(finished.status).toBe(409);
    expect(await finished.json()).toMatchObject({ error: { code: "INVALID_RUN_STATE" } });
    const badReason = await allowed.request(`/api/runs/${ids.paused}/cancel`, { ...jsonPost, body: JSON.stringify({ reason: 7 }) });
    expect(badReason.status).toBe(400);
    expect((await store.getRun({ runId: ids.paused }))?.status).toBe("PAUSED");
  });

  it("accepts actions only as JSON from its own origin", async () => {
    const allowed = app({ allowActions: true });
    const form = await allowed.request(`/api/runs/${ids.paused}/resume`, {
      method: "POST",
      headers: { ...host, "content-type": "application/x-www-form-urlencoded" },
      body: "a=1",
    });
    expect(form.status).toBe(415);
    const crossSite = await allowed.request(`/api/runs/${ids.paused}/resume`, {
      ...jsonPost,
      headers: { ...jsonPost.headers, origin: "https://evil.example" },
    });
    expect(crossSite.status).toBe(403);
    const sameSite = await allowed.request(`/api/runs/${ids.paused}/resume`, {
      ...jsonPost,
      headers: { ...jsonPost.headers, origin: "http://127.0.0.1:4000" },
    });
    expect(sameSite.status).toBe(200);
  });

  it("answers only requests addressed to a loopback name, unless told otherwise", async () => {
    expect((await app().request("/api/info", { headers: { host: "rebound.example:4000" } })).status).toBe(403);
    expect((await app().request("/api/info", { headers: { host: "localhost:4000" } })).status).toBe(200);
    expect((await app().request("/api/info", { headers: { host: "[::1]:4000" } })).status).toBe(200);
    expect((await app({ loopbackOnly: false }).request("/api/info", { headers: { host: "dash.internal" } })).status).toBe(200);
  });

  it("scrubs secrets from store errors", async () => {
    const failing: WorkflowStore = {
      ...store,
      listWorkflows: () => Promise.reject(new Error('password authentication failed: "hunter2"')),
    };
    const response = await createDashboardApp({ store: failing, databaseLabel: "x", secrets: ["hunter2"] }).request("/api/overview", {
      headers: host,
    });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("hunter2");
    expect(text).toContain("***");
  });

  it("sends a Content-Security-Policy that allows no inline script", async () => {
    const response = await app().request("/api/info", { headers: host });
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain("unsafe-inline");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
