import { describe, expect, it } from "vitest";
import { InvalidRunStateError } from "../errors/invalid-run-state-error";
import { LeaseLostError } from "../errors/lease-lost-error";
import { RunNotFoundError } from "../errors/run-not-found-error";
import type { StoreEvent } from "../storage/types";
import { createFakeClock } from "./fake-clock";
import { createMemoryStore } from "./memory-store";

const error = { name: "Error", message: "boom", attempt: 1 };

async function setUp() {
  const clock = createFakeClock();
  const store = createMemoryStore({ clock });
  await store.createWorkflow("w");
  const { workerId } = await store.registerWorker({ name: "worker", workflow: "w" });
  const trigger = async () => (await store.enqueue({ workflow: "w", input: null })).message.runId;
  const claim = async () => {
    const [run] = await store.claimRuns({ workerId, workflow: "w", limit: 1, leaseMs: 1_000 });
    if (run === undefined) throw new Error("nothing to claim");
    return run;
  };
  const events: StoreEvent[] = [];
  await store.subscribe({ onEvent: (event) => events.push(event) });
  return { clock, store, workerId, trigger, claim, events };
}

describe("memory store: cancelRun and acknowledgeCancel", () => {
  it("cancels a QUEUED run at once: final, archived, reason kept, run-changed published", async () => {
    const { clock, store, trigger, events, workerId } = await setUp();
    const runId = await trigger();
    clock.advance(500);
    const run = await store.cancelRun({ runId, reason: "not needed" });
    expect(run).toMatchObject({ status: "CANCELLED", cancelReason: "not needed", visibleAt: null });
    expect(run.cancelRequestedAt?.getTime()).toBe(clock.now());
    expect(run.finishedAt?.getTime()).toBe(clock.now());
    await Promise.resolve();
    expect(events).toContainEqual({ type: "run-changed", runId, status: "CANCELLED" });
    expect(await store.claimRuns({ workerId, workflow: "w", limit: 1, leaseMs: 1_000 })).toEqual([]);
    expect((await store.countRuns({})).byStatus).toMatchObject({ QUEUED: 0, CANCELLED: 1 });
  });

  it("cancels a PAUSED run at once and returns a CANCELLED run unchanged", async () => {
    const { clock, store, trigger, claim } = await setUp();
    const runId = await trigger();
    const claimed = await claim();
    await store.pauseRun({ runId, leaseToken: claimed.leaseToken, delayMs: 60_000, reason: "later" });
    const cancelled = await store.cancelRun({ runId });
    expect(cancelled).toMatchObject({ status: "CANCELLED", pauseReason: null, cancelReason: null });
    clock.advance(1_000);
    expect(await store.cancelRun({ runId, reason: "again" })).toEqual(cancelled);
  });

  it("records the request on a RUNNING run, which saveStep and extendLeases then report", async () => {
    const { store, trigger, claim, workerId } = await setUp();
    const runId = await trigger();
    const claimed = await claim();
    const lease = { runId, leaseToken: claimed.leaseToken };
    expect(await store.saveStep({ ...lease, stepId: "a", output: 1 })).toEqual({ output: 1, created: true, cancelRequested: false });
    expect(await store.extendLeases({ workerId, leaseMs: 1_000, leases: [lease] })).toEqual({ extended: [runId], cancelRequested: [] });

    const requested = await store.cancelRun({ runId, reason: "stop" });
    expect(requested).toMatchObject({ status: "RUNNING", cancelReason: "stop" });
    expect(requested.cancelRequestedAt).not.toBeNull();
    expect(await store.saveStep({ ...lease, stepId: "b", output: 2 })).toEqual({ output: 2, created: true, cancelRequested: true });
    expect(await store.saveStep({ ...lease, stepId: "a", output: 3 })).toEqual({ output: 1, created: false, cancelRequested: true });
    expect(await store.extendLeases({ workerId, leaseMs: 1_000, leases: [lease] })).toEqual({ extended: [runId], cancelRequested: [runId] });

    await store.acknowledgeCancel(lease);
    const run = await store.getRun({ runId });
    expect(run).toMatchObject({ status: "CANCELLED", cancelReason: "stop", leaseExpiresAt: null });
    expect(run?.steps.map((step) => step.stepId)).toEqual(["a", "b"]);
    await expect(store.acknowledgeCancel(lease)).rejects.toThrow(LeaseLostError);
  });

  it.each([
    ["retryRun", { error, delayMs: 1_000 }],
    ["pauseRun", { delayMs: 1_000 }],
    ["releaseRun", {}],
  ] as const)("ends a cancel-requested run CANCELLED on %s", async (method, extra) => {
    const { store, trigger, claim } = await setUp();
    const runId = await trigger();
    const claimed = await claim();
    await store.cancelRun({ runId });
    await (store[method] as (args: object) => Promise<void>)({ runId, leaseToken: claimed.leaseToken, ...extra });
    const run = await store.getRun({ runId });
    expect(run).toMatchObject({ status: "CANCELLED", runFailures: 0, stepFailures: {}, visibleAt: null });
    expect(run?.finishedAt).not.toBeNull();
  });

  it("hands a cancel-requested run whose worker died to the next claimer with cancelRequested and claimedAt", async () => {
    const { clock, store, trigger, claim } = await setUp();
    const runId = await trigger();
    const first = await claim();
    expect(first.cancelRequested).toBe(false);
    expect(first.claimedAt.getTime()).toBe(clock.now());
    await store.cancelRun({ runId });
    clock.advance(1_000);
    const second = await claim();
    expect(second).toMatchObject({ runId, cancelRequested: true, attempt: 2 });
    expect(second.claimedAt.getTime()).toBe(clock.now());
  });

  it("refuses SUCCESS and ERROR runs and unknown runs, changing nothing", async () => {
    const { store, trigger, claim } = await setUp();
    const succeeded = await trigger();
    await store.completeRun({ runId: succeeded, leaseToken: (await claim()).leaseToken, output: 1 });
    const failed = await trigger();
    await store.failRun({ runId: failed, leaseToken: (await claim()).leaseToken, error });
    await expect(store.cancelRun({ runId: succeeded })).rejects.toThrow(InvalidRunStateError);
    await expect(store.cancelRun({ runId: failed })).rejects.toThrow(InvalidRunStateError);
    await expect(store.cancelRun({ runId: "999" })).rejects.toThrow(RunNotFoundError);
    expect((await store.getRun({ runId: succeeded }))?.cancelRequestedAt).toBeNull();
    expect((await store.getRun({ runId: failed }))?.cancelRequestedAt).toBeNull();
  });

  it("forgets a request that came too late for a run that failed, when the run is retried", async () => {
    const { store, trigger, claim } = await setUp();
    const runId = await trigger();
    const claimed = await claim();
    await store.cancelRun({ runId });
    await store.failRun({ runId, leaseToken: claimed.leaseToken, error });
    await store.retryFailedRun({ runId });
    const again = await claim();
    expect(again.cancelRequested).toBe(false);
  });
});
