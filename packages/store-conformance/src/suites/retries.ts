import { InvalidRunStateError, RunNotFoundError } from "@pgqrs/core";
import { describe, expect, it } from "vitest";
import { expectOffset, expectRejection, sampleError, type SuiteContext } from "../harness";

/** `retryRun`, `releaseRun`, `retryFailedRun` and the queue depth `countRuns` reports. */
export function describeRetries(context: SuiteContext): void {
  describe("retries and visibility", () => {
    it("retries and visibility: retryRun makes the run QUEUED, visible after the delay, with the error and runFailures + 1", async () => {
      const { claim } = await context.startRun();
      const error = sampleError({ attempt: 1 });
      await context.store.retryRun({ runId: claim.runId, leaseToken: claim.leaseToken, error, delayMs: 90_000 });
      const run = await context.getRun(claim.runId);
      expect(run).toMatchObject({ status: "QUEUED", error, runFailures: 1, stepFailures: {}, leaseExpiresAt: null, attempt: 1 });
      expectOffset(run.visibleAt, run.createdAt, 90_000);
      expect(run.finishedAt).toBeNull();
    });

    it("retries and visibility: retryRun with stepId adds 1 to that step's count only", async () => {
      const { workflow, claim } = await context.startRun();
      const error = sampleError({ stepId: "upload" });
      await context.store.retryRun({ runId: claim.runId, leaseToken: claim.leaseToken, error, delayMs: 0, stepId: "upload" });
      let run = await context.getRun(claim.runId);
      expect(run.runFailures).toBe(0);
      expect(run.stepFailures).toEqual({ upload: 1 });
      const second = await context.claimOne(workflow);
      await context.store.retryRun({ runId: second.runId, leaseToken: second.leaseToken, error, delayMs: 0, stepId: "upload" });
      const third = await context.claimOne(workflow);
      await context.store.retryRun({ runId: third.runId, leaseToken: third.leaseToken, error, delayMs: 0, stepId: "download" });
      run = await context.getRun(claim.runId);
      expect(run.stepFailures).toEqual({ upload: 2, download: 1 });
      expect(run.runFailures).toBe(0);
      expect(run.attempt).toBe(3);
    });

    it("retries and visibility: a retried run stays invisible until its delay passes, then comes back with attempt + 1", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.retryRun({ runId: claim.runId, leaseToken: claim.leaseToken, error: sampleError(), delayMs: 60_000 });
      expect(await context.claim(workflow, 5)).toEqual([]);
      await context.advanceTime(50_000);
      expect(await context.claim(workflow, 5)).toEqual([]);
      await context.advanceTime(15_000);
      const next = await context.claimOne(workflow);
      expect(next).toMatchObject({ runId: claim.runId, attempt: 2, runFailures: 1, resumedFromPause: false });
      expect(next.leaseToken).not.toBe(claim.leaseToken);
    });

    it("retries and visibility: retryRun with delayMs 0 is claimable at once", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.retryRun({ runId: claim.runId, leaseToken: claim.leaseToken, error: sampleError(), delayMs: 0 });
      expect((await context.claimOne(workflow)).runId).toBe(claim.runId);
    });

    it("retries and visibility: the error of the latest retry replaces the previous one", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.retryRun({ runId: claim.runId, leaseToken: claim.leaseToken, error: sampleError({ message: "first" }), delayMs: 0 });
      const second = await context.claimOne(workflow);
      const latest = sampleError({ message: "second", attempt: 2, code: "TRANSIENT" });
      await context.store.retryRun({ runId: second.runId, leaseToken: second.leaseToken, error: latest, delayMs: 0 });
      expect((await context.getRun(claim.runId)).error).toEqual(latest);
    });

    it("retries and visibility: releaseRun makes the run QUEUED and visible now without counting a failure", async () => {
      const { workflow, claim } = await context.startRun();
      await context.advanceTime(10_000);
      await context.store.releaseRun({ runId: claim.runId, leaseToken: claim.leaseToken });
      const run = await context.getRun(claim.runId);
      expect(run).toMatchObject({ status: "QUEUED", runFailures: 0, stepFailures: {}, leaseExpiresAt: null, attempt: 1 });
      expectOffset(run.visibleAt, run.createdAt, 10_000);
      const next = await context.claimOne(workflow);
      expect(next).toMatchObject({ runId: claim.runId, attempt: 2, runFailures: 0 });
    });

    it("retries and visibility: countRuns reports every status, the visible queue depth and its oldest visibleAt", async () => {
      const workflow = await context.newWorkflow();
      const empty = await context.store.countRuns({ workflow });
      expect(empty).toEqual({
        byStatus: { QUEUED: 0, RUNNING: 0, SUCCESS: 0, ERROR: 0, PAUSED: 0, CANCELLED: 0 },
        visibleQueued: 0,
        oldestQueuedAt: null,
      });
      const first = await context.enqueue(workflow);
      await context.advanceTime(5_000);
      const batch = [];
      for (let index = 0; index < 4; index += 1) batch.push(await context.enqueue(workflow));
      await context.enqueue(workflow, { delayMs: 600_000 });
      const claimed = await context.claim(workflow, 4);
      expect(claimed.map((claim) => claim.runId)).toEqual([first.runId, ...batch.slice(0, 3).map((message) => message.runId)]);
      const [, succeeded, failed, paused] = claimed;
      if (succeeded === undefined || failed === undefined || paused === undefined) throw new Error("expected 4 claims");
      await context.store.completeRun({ runId: succeeded.runId, leaseToken: succeeded.leaseToken, output: 1 });
      await context.store.failRun({ runId: failed.runId, leaseToken: failed.leaseToken, error: sampleError() });
      await context.store.pauseRun({ runId: paused.runId, leaseToken: paused.leaseToken, delayMs: 60_000 });
      await context.advanceTime(10_000);
      await context.enqueue(workflow);
      const counts = await context.store.countRuns({ workflow });
      expect(counts.byStatus).toEqual({ QUEUED: 3, RUNNING: 1, SUCCESS: 1, ERROR: 1, PAUSED: 1, CANCELLED: 0 });
      expect(counts.visibleQueued).toBe(2);
      const oldestVisible = await context.getRun(batch[3]?.runId ?? "");
      expect(counts.oldestQueuedAt?.getTime()).toBe(oldestVisible.visibleAt?.getTime());
    });

    it("retries and visibility: countRuns counts a delayed run as visible only once its time comes", async () => {
      const workflow = await context.newWorkflow();
      await context.enqueue(workflow, { delayMs: 60_000 });
      expect((await context.store.countRuns({ workflow })).visibleQueued).toBe(0);
      await context.advanceTime(61_000);
      const counts = await context.store.countRuns({ workflow });
      expect(counts.visibleQueued).toBe(1);
      expect(counts.oldestQueuedAt).toBeInstanceOf(Date);
    });

    it("retries and visibility: countRuns without a workflow counts runs of every workflow", async () => {
      const first = await context.newWorkflow();
      const second = await context.newWorkflow();
      const before = await context.store.countRuns({});
      await context.enqueue(first);
      await context.enqueue(second);
      const after = await context.store.countRuns({});
      expect(after.byStatus.QUEUED - before.byStatus.QUEUED).toBe(2);
    });

    it("retries and visibility: retryFailedRun queues an ERROR run again, keeping its steps and last error, failure counts reset", async () => {
      const { workflow, claim } = await context.startRun();
      const lease = { runId: claim.runId, leaseToken: claim.leaseToken };
      await context.store.saveStep({ ...lease, stepId: "done", output: "kept" });
      await context.store.retryRun({ ...lease, error: sampleError(), delayMs: 0, stepId: "flaky" });
      const second = await context.claimOne(workflow);
      const error = sampleError({ name: "PermanentError", attempt: 2 });
      await context.store.failRun({ runId: second.runId, leaseToken: second.leaseToken, error });
      const record = await context.store.retryFailedRun({ runId: claim.runId });
      expect(record).toMatchObject({ runId: claim.runId, status: "QUEUED", error, runFailures: 0, stepFailures: {}, finishedAt: null });
      const next = await context.claimOne(workflow);
      expect(next.runId).toBe(claim.runId);
      expect(next.attempt).toBe(3);
      expect(next.steps.map((step) => [step.stepId, step.output])).toEqual([["done", "kept"]]);
    });

    it("retries and visibility: retryFailedRun throws RunNotFoundError for an unknown run and InvalidRunStateError unless ERROR", async () => {
      await expectRejection(context.store.retryFailedRun({ runId: "987654321987654321" }), RunNotFoundError);
      const { workflow, claim } = await context.startRun();
      const before = await context.getRun(claim.runId);
      await expectRejection(context.store.retryFailedRun({ runId: claim.runId }), InvalidRunStateError);
      expect(await context.getRun(claim.runId)).toEqual(before);
      await context.store.completeRun({ runId: claim.runId, leaseToken: claim.leaseToken, output: "ok" });
      await expectRejection(context.store.retryFailedRun({ runId: claim.runId }), InvalidRunStateError);
      expect((await context.getRun(claim.runId)).status).toBe("SUCCESS");
      expect(await context.claim(workflow, 1)).toEqual([]);
    });
  });
}
