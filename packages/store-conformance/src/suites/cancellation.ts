import { InvalidRunStateError, LeaseLostError, RunNotFoundError } from "@pgqrs/core";
import type { ClaimedRun, RunRecord } from "@pgqrs/core/storage";
import { describe, expect, it } from "vitest";
import { expectOffset, expectRejection, leaseMs, sampleError, type SuiteContext } from "../harness";
import { createEventRecorder, notifySkip, waitForStoreEvent } from "../store-events";

const unknownRunId = "987654321987654321";

/** Asserts the run is CANCELLED and final: no lease, no visibility, finishedAt set. */
function expectCancelled(run: RunRecord): void {
  expect(run).toMatchObject({ status: "CANCELLED", leaseExpiresAt: null, visibleAt: null });
  expect(run.finishedAt).toBeInstanceOf(Date);
  expect(run.cancelRequestedAt).toBeInstanceOf(Date);
}

/** The fenced writes that end a RUNNING run without finishing it; with a pending cancel each ends it CANCELLED. */
const endings: { name: string; write: (context: SuiteContext, claim: ClaimedRun) => Promise<void> }[] = [
  { name: "releaseRun", write: (context, claim) => context.store.releaseRun({ runId: claim.runId, leaseToken: claim.leaseToken }) },
  {
    name: "retryRun",
    write: (context, claim) => context.store.retryRun({ runId: claim.runId, leaseToken: claim.leaseToken, error: sampleError(), delayMs: 0 }),
  },
  { name: "pauseRun", write: (context, claim) => context.store.pauseRun({ runId: claim.runId, leaseToken: claim.leaseToken, delayMs: 0 }) },
  {
    name: "pauseRun with waitEvent",
    write: (context, claim) => context.store.pauseRun({ runId: claim.runId, leaseToken: claim.leaseToken, delayMs: 0, waitEvent: "approved" }),
  },
];

/** `cancelRun`, `acknowledgeCancel`, and the CANCELLED status. */
export function describeCancellation(context: SuiteContext): void {
  describe("cancellation", () => {
    const record = createEventRecorder(context);

    it("cancellation: cancelRun of a QUEUED run makes it CANCELLED at once with finishedAt, cancelRequestedAt and the reason", async () => {
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow);
      await context.advanceTime(10_000);
      const cancelled = await context.store.cancelRun({ runId: message.runId, reason: "ordered by mistake" });
      expectCancelled(cancelled);
      expect(cancelled).toMatchObject({ runId: message.runId, cancelReason: "ordered by mistake", attempt: 0 });
      expectOffset(cancelled.finishedAt, cancelled.createdAt, 10_000);
      expectOffset(cancelled.cancelRequestedAt, cancelled.createdAt, 10_000);
      const { steps: _steps, ...read } = await context.getRun(message.runId);
      expect(read).toEqual(cancelled);
    });

    it("cancellation: a cancelled QUEUED run is never claimed, however much time passes", async () => {
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow);
      const delayed = await context.enqueue(workflow, { delayMs: 60_000 });
      await context.store.cancelRun({ runId: message.runId });
      await context.store.cancelRun({ runId: delayed.runId });
      expect(await context.claim(workflow, 10)).toEqual([]);
      await context.advanceTime(leaseMs * 10);
      expect(await context.claim(workflow, 10)).toEqual([]);
      expect((await context.store.countRuns({ workflow })).visibleQueued).toBe(0);
    });

    it("cancellation: cancelRun without a reason keeps cancelReason null", async () => {
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow);
      const cancelled = await context.store.cancelRun({ runId: message.runId });
      expect(cancelled.status).toBe("CANCELLED");
      expect(cancelled.cancelReason).toBeNull();
    });

    it("cancellation: cancelRun of a PAUSED run makes it CANCELLED at once, and it is never claimed", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.pauseRun({ runId: claim.runId, leaseToken: claim.leaseToken, delayMs: 60_000, reason: "approval" });
      const cancelled = await context.store.cancelRun({ runId: claim.runId, reason: "no longer needed" });
      expectCancelled(cancelled);
      expect(cancelled.cancelReason).toBe("no longer needed");
      await context.advanceTime(120_000);
      expect(await context.claim(workflow, 1)).toEqual([]);
      expect((await context.getRun(claim.runId)).status).toBe("CANCELLED");
    });

    it("cancellation: a PAUSED run waiting for an event is cancelled at once and refuses the event afterwards", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.pauseRun({ runId: claim.runId, leaseToken: claim.leaseToken, delayMs: 86_400_000, waitEvent: "approved" });
      expectCancelled(await context.store.cancelRun({ runId: claim.runId }));
      await expectRejection(context.store.sendEvent({ runId: claim.runId, name: "approved", payload: 1 }), InvalidRunStateError);
      expect(await context.claim(workflow, 1)).toEqual([]);
    });

    it("cancellation: cancelRun of a RUNNING run records the request and leaves it RUNNING with its lease", async () => {
      const { claim } = await context.startRun();
      await context.advanceTime(10_000);
      const before = await context.getRun(claim.runId);
      const requested = await context.store.cancelRun({ runId: claim.runId, reason: "stop" });
      expect(requested).toMatchObject({ runId: claim.runId, status: "RUNNING", cancelReason: "stop", finishedAt: null, attempt: 1 });
      expect(requested.leaseExpiresAt?.getTime()).toBe(before.leaseExpiresAt?.getTime());
      expectOffset(requested.cancelRequestedAt, requested.createdAt, 10_000);
      const { steps: _steps, ...read } = await context.getRun(claim.runId);
      expect(read).toEqual(requested);
    });

    it("cancellation: after a cancel request saveStep still stores the step and returns cancelRequested true", async () => {
      const { claim } = await context.startRun();
      const lease = { runId: claim.runId, leaseToken: claim.leaseToken };
      expect((await context.store.saveStep({ ...lease, stepId: "before", output: 1 })).cancelRequested).toBe(false);
      await context.store.cancelRun({ runId: claim.runId });
      expect(await context.store.saveStep({ ...lease, stepId: "after", output: 2 })).toEqual({ output: 2, created: true, cancelRequested: true });
      expect(await context.store.saveStep({ ...lease, stepId: "before", output: 3 })).toEqual({ output: 1, created: false, cancelRequested: true });
      expect((await context.getRun(claim.runId)).steps.map((step) => step.stepId)).toEqual(["before", "after"]);
    });

    it("cancellation: extendLeases extends a cancel-requested run and lists it in cancelRequested", async () => {
      const workflow = await context.newWorkflow();
      await context.enqueue(workflow);
      await context.enqueue(workflow);
      const workerId = await context.newWorker(workflow);
      const [cancelled, kept] = await context.store.claimRuns({ workerId, workflow, limit: 2, leaseMs });
      if (cancelled === undefined || kept === undefined) throw new Error("expected two claims");
      await context.store.cancelRun({ runId: cancelled.runId });
      const leases = [cancelled, kept].map(({ runId, leaseToken }) => ({ runId, leaseToken }));
      const result = await context.store.extendLeases({ workerId, leaseMs: 60_000, leases });
      expect([...result.extended].sort()).toEqual([cancelled.runId, kept.runId].sort());
      expect(result.cancelRequested).toEqual([cancelled.runId]);
    });

    it("cancellation: extendLeases does not list a cancel-requested run whose lease is lost", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.cancelRun({ runId: claim.runId });
      await context.advanceTime(leaseMs + 1_000);
      await context.claimOne(workflow);
      const workerId = await context.newWorker(workflow);
      const result = await context.store.extendLeases({ workerId, leaseMs, leases: [{ runId: claim.runId, leaseToken: claim.leaseToken }] });
      expect(result).toEqual({ extended: [], cancelRequested: [] });
    });

    it("cancellation: acknowledgeCancel ends the run CANCELLED, keeping the request's time and reason and the steps", async () => {
      const { workflow, claim } = await context.startRun();
      const lease = { runId: claim.runId, leaseToken: claim.leaseToken };
      await context.store.saveStep({ ...lease, stepId: "done", output: "kept" });
      await context.advanceTime(10_000);
      await context.store.cancelRun({ runId: claim.runId, reason: "stop" });
      await context.advanceTime(10_000);
      await context.store.acknowledgeCancel(lease);
      const run = await context.getRun(claim.runId);
      expectCancelled(run);
      expect(run.cancelReason).toBe("stop");
      expectOffset(run.cancelRequestedAt, run.createdAt, 10_000);
      expectOffset(run.finishedAt, run.createdAt, 20_000);
      expect(run.steps.map((step) => [step.stepId, step.output])).toEqual([["done", "kept"]]);
      await context.advanceTime(leaseMs * 10);
      expect(await context.claim(workflow, 1)).toEqual([]);
    });

    it("cancellation: acknowledgeCancel with a stale or made-up token throws LeaseLostError and changes nothing", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.cancelRun({ runId: claim.runId });
      await context.advanceTime(leaseMs + 1_000);
      const holder = await context.claimOne(workflow);
      const before = await context.getRun(claim.runId);
      await expectRejection(context.store.acknowledgeCancel({ runId: claim.runId, leaseToken: claim.leaseToken }), LeaseLostError);
      await expectRejection(context.store.acknowledgeCancel({ runId: claim.runId, leaseToken: `${holder.leaseToken}-forged` }), LeaseLostError);
      await expectRejection(context.store.acknowledgeCancel({ runId: unknownRunId, leaseToken: "token" }), LeaseLostError);
      expect(await context.getRun(claim.runId)).toEqual(before);
      expect(before.status).toBe("RUNNING");
    });

    it("cancellation: a CANCELLED run refuses every fenced write from its last holder and stays unchanged", async () => {
      const { claim } = await context.startRun();
      const lease = { runId: claim.runId, leaseToken: claim.leaseToken };
      await context.store.cancelRun({ runId: claim.runId });
      await context.store.acknowledgeCancel(lease);
      const before = await context.getRun(claim.runId);
      const writes: (() => Promise<unknown>)[] = [
        () => context.store.acknowledgeCancel(lease),
        () => context.store.saveStep({ ...lease, stepId: "late", output: 1 }),
        () => context.store.completeRun({ ...lease, output: 1 }),
        () => context.store.failRun({ ...lease, error: sampleError() }),
        () => context.store.retryRun({ ...lease, error: sampleError(), delayMs: 0 }),
        () => context.store.pauseRun({ ...lease, delayMs: 0 }),
        () => context.store.releaseRun(lease),
      ];
      for (const write of writes) await expectRejection(write(), LeaseLostError);
      expect(await context.getRun(claim.runId)).toEqual(before);
      const workerId = await context.newWorker(claim.workflow);
      expect(await context.store.extendLeases({ workerId, leaseMs, leases: [lease] })).toEqual({ extended: [], cancelRequested: [] });
    });

    for (const ending of endings) {
      it(`cancellation: ${ending.name} of a cancel-requested run ends it CANCELLED instead`, async () => {
        const { workflow, claim } = await context.startRun();
        await context.store.cancelRun({ runId: claim.runId, reason: "stop" });
        await ending.write(context, claim);
        const run = await context.getRun(claim.runId);
        expectCancelled(run);
        expect(run.cancelReason).toBe("stop");
        await context.advanceTime(leaseMs * 10);
        expect(await context.claim(workflow, 1)).toEqual([]);
      });
    }

    it("cancellation: a cancel-requested run whose worker died is claimed again with cancelRequested true", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.cancelRun({ runId: claim.runId, reason: "stop" });
      await context.advanceTime(leaseMs + 1_000);
      const reclaim = await context.claimOne(workflow);
      expect(reclaim).toMatchObject({ runId: claim.runId, attempt: 2, cancelRequested: true });
      await context.store.acknowledgeCancel({ runId: reclaim.runId, leaseToken: reclaim.leaseToken });
      const run = await context.getRun(claim.runId);
      expectCancelled(run);
      expect(run.cancelReason).toBe("stop");
    });

    it("cancellation: a cancel-requested run that completes or fails first ends SUCCESS or ERROR (the work was done)", async () => {
      const workflow = await context.newWorkflow();
      await context.enqueue(workflow);
      await context.enqueue(workflow);
      const [completing, failing] = await context.claim(workflow, 2);
      if (completing === undefined || failing === undefined) throw new Error("expected two claims");
      await context.store.cancelRun({ runId: completing.runId });
      await context.store.cancelRun({ runId: failing.runId });
      await context.store.completeRun({ runId: completing.runId, leaseToken: completing.leaseToken, output: "done" });
      await context.store.failRun({ runId: failing.runId, leaseToken: failing.leaseToken, error: sampleError() });
      expect(await context.getRun(completing.runId)).toMatchObject({ status: "SUCCESS", output: "done" });
      expect((await context.getRun(failing.runId)).status).toBe("ERROR");
    });

    it("cancellation: cancelRun of a CANCELLED run returns it unchanged", async () => {
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow);
      await context.store.cancelRun({ runId: message.runId, reason: "first" });
      await context.advanceTime(60_000);
      const { steps: _steps, ...before } = await context.getRun(message.runId);
      const second = await context.store.cancelRun({ runId: message.runId, reason: "second" });
      expect(second).toEqual(before);
      expect(second.cancelReason).toBe("first");
      expectOffset(second.finishedAt, second.createdAt, 0);
      const { steps: _after, ...after } = await context.getRun(message.runId);
      expect(after).toEqual(before);
    });

    it("cancellation: cancelRun of a SUCCESS or ERROR run throws InvalidRunStateError and changes nothing", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.completeRun({ runId: claim.runId, leaseToken: claim.leaseToken, output: 1 });
      await context.enqueue(workflow);
      const failing = await context.claimOne(workflow);
      await context.store.failRun({ runId: failing.runId, leaseToken: failing.leaseToken, error: sampleError() });
      for (const runId of [claim.runId, failing.runId]) {
        const before = await context.getRun(runId);
        await expectRejection(context.store.cancelRun({ runId, reason: "too late" }), InvalidRunStateError);
        expect(await context.getRun(runId)).toEqual(before);
        expect(before.cancelRequestedAt).toBeNull();
      }
    });

    it("cancellation: cancelRun of an unknown run throws RunNotFoundError", async () => {
      await expectRejection(context.store.cancelRun({ runId: unknownRunId }), RunNotFoundError);
      expect(await context.store.getRun({ runId: unknownRunId })).toBeNull();
    });

    it("cancellation: resumeRun and retryFailedRun refuse a CANCELLED run with InvalidRunStateError", async () => {
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow);
      await context.store.cancelRun({ runId: message.runId });
      const before = await context.getRun(message.runId);
      await expectRejection(context.store.resumeRun({ runId: message.runId }), InvalidRunStateError);
      await expectRejection(context.store.retryFailedRun({ runId: message.runId }), InvalidRunStateError);
      expect(await context.getRun(message.runId)).toEqual(before);
    });

    it("cancellation: the idempotency key of a cancelled run still returns its first message and makes no run", async () => {
      const workflow = await context.newWorkflow();
      const first = await context.store.enqueue({ workflow, input: 1, idempotencyKey: "cancelled-key" });
      await context.store.cancelRun({ runId: first.message.runId });
      const again = await context.store.enqueue({ workflow, input: 1, idempotencyKey: "cancelled-key" });
      expect(again).toEqual({ message: first.message, created: false });
      expect(await context.claim(workflow, 5)).toEqual([]);
    });

    it("cancellation: countRuns counts CANCELLED runs, and a cancel-requested run as RUNNING", async () => {
      const workflow = await context.newWorkflow();
      const first = await context.enqueue(workflow);
      const second = await context.enqueue(workflow, { delayMs: 60_000 });
      await context.enqueue(workflow);
      await context.store.cancelRun({ runId: first.runId });
      await context.store.cancelRun({ runId: second.runId });
      const running = await context.claimOne(workflow);
      await context.store.cancelRun({ runId: running.runId });
      const counts = await context.store.countRuns({ workflow });
      expect(counts.byStatus).toEqual({ QUEUED: 0, RUNNING: 1, SUCCESS: 0, ERROR: 0, PAUSED: 0, CANCELLED: 2 });
      expect(counts.visibleQueued).toBe(0);
    });

    it("cancellation: listRuns with status CANCELLED lists only cancelled runs", async () => {
      const workflow = await context.newWorkflow();
      const first = await context.enqueue(workflow);
      await context.enqueue(workflow);
      const third = await context.enqueue(workflow);
      await context.store.cancelRun({ runId: first.runId });
      await context.store.cancelRun({ runId: third.runId });
      const page = await context.store.listRuns({ workflow, status: "CANCELLED" });
      expect(page.runs.map((run) => run.runId)).toEqual([third.runId, first.runId]);
      expect(page.runs.every((run) => run.status === "CANCELLED")).toBe(true);
    });

    it("cancellation: with notify, cancelRun of a QUEUED run publishes run-changed CANCELLED", async ({ skip }) => {
      if (!context.store.capabilities.notify) return skip(notifySkip);
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow);
      const events = await record();
      await context.store.cancelRun({ runId: message.runId });
      await waitForStoreEvent(events, (event) => event.type === "run-changed" && event.runId === message.runId && event.status === "CANCELLED");
    });

    it("cancellation: with notify, acknowledgeCancel and a release that ends CANCELLED publish run-changed CANCELLED", async ({ skip }) => {
      if (!context.store.capabilities.notify) return skip(notifySkip);
      const workflow = await context.newWorkflow();
      await context.enqueue(workflow);
      await context.enqueue(workflow);
      const [acknowledged, released] = await context.claim(workflow, 2);
      if (acknowledged === undefined || released === undefined) throw new Error("expected two claims");
      await context.store.cancelRun({ runId: acknowledged.runId });
      await context.store.cancelRun({ runId: released.runId });
      const events = await record();
      await context.store.acknowledgeCancel({ runId: acknowledged.runId, leaseToken: acknowledged.leaseToken });
      await context.store.releaseRun({ runId: released.runId, leaseToken: released.leaseToken });
      for (const runId of [acknowledged.runId, released.runId]) {
        await waitForStoreEvent(events, (event) => event.type === "run-changed" && event.runId === runId && event.status === "CANCELLED");
      }
    });
  });
}
