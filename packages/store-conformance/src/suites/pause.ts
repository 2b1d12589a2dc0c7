import { InvalidRunStateError, RunNotFoundError } from "@pgqrs/core";
import { describe, expect, it } from "vitest";
import { expectOffset, expectRejection, sampleError, type SuiteContext } from "../harness";

/** `pauseRun` and `resumeRun`. */
export function describePause(context: SuiteContext): void {
  describe("pause/resume", () => {
    it("pause/resume: pauseRun sets PAUSED, visibleAt now + delayMs and the reason, and clears the lease", async () => {
      const { claim } = await context.startRun();
      await context.store.pauseRun({ runId: claim.runId, leaseToken: claim.leaseToken, delayMs: 3_600_000, reason: "awaiting approval" });
      const run = await context.getRun(claim.runId);
      expect(run).toMatchObject({ status: "PAUSED", pauseReason: "awaiting approval", leaseExpiresAt: null, finishedAt: null });
      expectOffset(run.visibleAt, run.createdAt, 3_600_000);
    });

    it("pause/resume: pauseRun with until uses that moment and no reason reads back null", async () => {
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow);
      const claim = await context.claimOne(workflow);
      const until = new Date(message.createdAt.getTime() + 7_200_000);
      await context.store.pauseRun({ runId: claim.runId, leaseToken: claim.leaseToken, until });
      const run = await context.getRun(claim.runId);
      expect(run.status).toBe("PAUSED");
      expect(run.pauseReason).toBeNull();
      expect(run.visibleAt?.getTime()).toBe(until.getTime());
      await context.advanceTime(7_100_000);
      expect(await context.claim(workflow, 1)).toEqual([]);
      await context.advanceTime(200_000);
      expect((await context.claimOne(workflow)).runId).toBe(claim.runId);
    });

    it("pause/resume: a pause counts as no failure", async () => {
      const { claim } = await context.startRun();
      await context.store.pauseRun({ runId: claim.runId, leaseToken: claim.leaseToken, delayMs: 1_000 });
      const run = await context.getRun(claim.runId);
      expect(run.runFailures).toBe(0);
      expect(run.stepFailures).toEqual({});
      expect(run.error).toBeNull();
    });

    it("pause/resume: a paused run is claimed again when the pause ends, with resumedFromPause and attempt + 1", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.saveStep({ runId: claim.runId, leaseToken: claim.leaseToken, stepId: "before", output: 1 });
      await context.store.pauseRun({ runId: claim.runId, leaseToken: claim.leaseToken, delayMs: 60_000, reason: "wait" });
      await context.advanceTime(50_000);
      expect(await context.claim(workflow, 1)).toEqual([]);
      await context.advanceTime(15_000);
      const resumed = await context.claimOne(workflow);
      expect(resumed).toMatchObject({ runId: claim.runId, attempt: 2, resumedFromPause: true, runFailures: 0 });
      expect(resumed.steps.map((step) => step.stepId)).toEqual(["before"]);
      const run = await context.getRun(claim.runId);
      expect(run.status).toBe("RUNNING");
      expect(run.pauseReason).toBeNull();
    });

    it("pause/resume: resumedFromPause is false when the previous delivery did not end with a pause", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.pauseRun({ runId: claim.runId, leaseToken: claim.leaseToken, delayMs: 0 });
      const resumed = await context.claimOne(workflow);
      expect(resumed.resumedFromPause).toBe(true);
      await context.store.retryRun({ runId: resumed.runId, leaseToken: resumed.leaseToken, error: sampleError(), delayMs: 0 });
      const retried = await context.claimOne(workflow);
      expect(retried.resumedFromPause).toBe(false);
    });

    it("pause/resume: a paused run may pause again", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.pauseRun({ runId: claim.runId, leaseToken: claim.leaseToken, delayMs: 0, reason: "first" });
      const again = await context.claimOne(workflow);
      await context.store.pauseRun({ runId: again.runId, leaseToken: again.leaseToken, delayMs: 60_000, reason: "second" });
      const run = await context.getRun(claim.runId);
      expect(run).toMatchObject({ status: "PAUSED", pauseReason: "second", attempt: 2, runFailures: 0 });
    });

    it("pause/resume: resumeRun makes a PAUSED run visible now and returns it", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.pauseRun({ runId: claim.runId, leaseToken: claim.leaseToken, delayMs: 86_400_000, reason: "approval" });
      await context.advanceTime(30_000);
      const record = await context.store.resumeRun({ runId: claim.runId });
      expect(record.runId).toBe(claim.runId);
      expectOffset(record.visibleAt, record.createdAt, 30_000);
      const resumed = await context.claimOne(workflow);
      expect(resumed).toMatchObject({ runId: claim.runId, resumedFromPause: true, attempt: 2 });
    });

    it("pause/resume: resumeRun on a run that is not PAUSED throws InvalidRunStateError and changes nothing", async () => {
      const workflow = await context.newWorkflow();
      const queued = await context.enqueue(workflow, { delayMs: 60_000 });
      const before = await context.getRun(queued.runId);
      await expectRejection(context.store.resumeRun({ runId: queued.runId }), InvalidRunStateError);
      expect(await context.getRun(queued.runId)).toEqual(before);
      expect(await context.claim(workflow, 1)).toEqual([]);
      const { claim } = await context.startRun();
      await expectRejection(context.store.resumeRun({ runId: claim.runId }), InvalidRunStateError);
      await context.store.completeRun({ runId: claim.runId, leaseToken: claim.leaseToken, output: null });
      await expectRejection(context.store.resumeRun({ runId: claim.runId }), InvalidRunStateError);
      expect((await context.getRun(claim.runId)).status).toBe("SUCCESS");
    });

    it("pause/resume: resumeRun on an unknown run throws RunNotFoundError", async () => {
      await expectRejection(context.store.resumeRun({ runId: "987654321987654321" }), RunNotFoundError);
    });
  });
}
