import { LeaseLostError } from "@pgqrs/core";
import { describe, expect, it } from "vitest";
import { expectOffset, expectRejection, leaseMs, sampleError, type SuiteContext } from "../harness";

const expectLeaseLost = (write: Promise<unknown>): Promise<void> => expectRejection(write, LeaseLostError);

/** Expiry, recovery, heartbeats and the fence on every lease-carrying write. */
export function describeLeases(context: SuiteContext): void {
  describe("leases and fencing", () => {
    it("leases and fencing: an expired lease is reclaimable and the reclaim adds 1 to runFailures", async () => {
      const { workflow, claim } = await context.startRun();
      await context.advanceTime(leaseMs + 1_000);
      const reclaim = await context.claimOne(workflow);
      expect(reclaim.runId).toBe(claim.runId);
      expect(reclaim.attempt).toBe(2);
      expect(reclaim.runFailures).toBe(1);
      expect(reclaim.resumedFromPause).toBe(false);
      expect((await context.getRun(claim.runId)).runFailures).toBe(1);
    });

    it("leases and fencing: repeated crashes keep adding to runFailures", async () => {
      const { workflow } = await context.startRun();
      for (let crash = 1; crash <= 3; crash += 1) {
        await context.advanceTime(leaseMs + 1_000);
        const reclaim = await context.claimOne(workflow);
        expect(reclaim.runFailures).toBe(crash);
        expect(reclaim.attempt).toBe(crash + 1);
      }
    });

    it("leases and fencing: a lease is not reclaimable before it ends", async () => {
      const { workflow } = await context.startRun({ leaseMs: 60_000 });
      await context.advanceTime(50_000);
      expect(await context.claim(workflow, 1)).toEqual([]);
      await context.advanceTime(15_000);
      expect(await context.claim(workflow, 1)).toHaveLength(1);
    });

    it("leases and fencing: extendLeases returns only current leases and pushes their expiry", async () => {
      const workflow = await context.newWorkflow();
      await context.enqueue(workflow);
      await context.enqueue(workflow);
      const workerId = await context.newWorker(workflow);
      const claimed = await context.store.claimRuns({ workerId, workflow, limit: 2, leaseMs });
      const [kept, lost] = claimed;
      if (kept === undefined || lost === undefined) throw new Error("expected two claims");
      await context.store.completeRun({ runId: lost.runId, leaseToken: lost.leaseToken, output: null });
      await context.advanceTime(20_000);
      const { extended, cancelRequested } = await context.store.extendLeases({
        workerId,
        leaseMs: 60_000,
        leases: [kept, lost].map(({ runId, leaseToken }) => ({ runId, leaseToken })),
      });
      expect(extended).toEqual([kept.runId]);
      expect(cancelRequested).toEqual([]);
      const run = await context.getRun(kept.runId);
      expectOffset(run.leaseExpiresAt, run.createdAt, 80_000);
    });

    it("leases and fencing: an extended lease outlives its original end", async () => {
      const { workflow, claim } = await context.startRun();
      const workerId = await context.newWorker(workflow);
      await context.advanceTime(leaseMs - 10_000);
      await context.store.extendLeases({ workerId, leaseMs, leases: [{ runId: claim.runId, leaseToken: claim.leaseToken }] });
      await context.advanceTime(20_000);
      expect(await context.claim(workflow, 1)).toEqual([]);
      await context.store.saveStep({ runId: claim.runId, leaseToken: claim.leaseToken, stepId: "still-mine", output: 1 });
    });

    it("leases and fencing: a stale token's heartbeat extends nothing and leaves the new lease alone", async () => {
      const { workflow, claim } = await context.startRun();
      await context.advanceTime(leaseMs + 1_000);
      const reclaim = await context.claimOne(workflow, { leaseMs: 40_000 });
      const workerId = await context.newWorker(workflow);
      const { extended } = await context.store.extendLeases({
        workerId,
        leaseMs: 600_000,
        leases: [{ runId: claim.runId, leaseToken: claim.leaseToken }],
      });
      expect(extended).toEqual([]);
      expect((await context.getRun(claim.runId)).leaseExpiresAt?.getTime()).toBe(reclaim.leaseExpiresAt.getTime());
    });

    it("leases and fencing: extendLeases with unknown runs or no leases extends nothing", async () => {
      const workflow = await context.newWorkflow();
      const workerId = await context.newWorker(workflow);
      expect(await context.store.extendLeases({ workerId, leaseMs, leases: [] })).toEqual({ extended: [], cancelRequested: [] });
      const result = await context.store.extendLeases({
        workerId,
        leaseMs,
        leases: [{ runId: "987654321987654321", leaseToken: "nope" }],
      });
      expect(result).toEqual({ extended: [], cancelRequested: [] });
    });

    it("leases and fencing: saveStep with a stale token throws LeaseLostError and stores nothing", async () => {
      const { workflow, claim } = await context.startRun();
      await context.advanceTime(leaseMs + 1_000);
      await context.claimOne(workflow);
      await expectLeaseLost(context.store.saveStep({ runId: claim.runId, leaseToken: claim.leaseToken, stepId: "late", output: 1 }));
      expect((await context.getRun(claim.runId)).steps).toEqual([]);
    });

    it("leases and fencing: completeRun after a reclaim throws and leaves the run as the new holder wrote it", async () => {
      const { workflow, claim } = await context.startRun();
      await context.advanceTime(leaseMs + 1_000);
      const holder = await context.claimOne(workflow);
      await context.store.saveStep({ runId: holder.runId, leaseToken: holder.leaseToken, stepId: "new", output: "holder" });
      await expectLeaseLost(context.store.completeRun({ runId: claim.runId, leaseToken: claim.leaseToken, output: "zombie" }));
      const run = await context.getRun(claim.runId);
      expect(run.status).toBe("RUNNING");
      expect(run.output).toBeUndefined();
      expect(run.steps.map((step) => step.output)).toEqual(["holder"]);
      await context.store.completeRun({ runId: holder.runId, leaseToken: holder.leaseToken, output: "holder" });
      expect((await context.getRun(claim.runId)).output).toBe("holder");
    });

    it("leases and fencing: failRun, retryRun, pauseRun and releaseRun with a stale token throw and change nothing", async () => {
      const { workflow, claim } = await context.startRun();
      await context.advanceTime(leaseMs + 1_000);
      const holder = await context.claimOne(workflow);
      const before = await context.getRun(claim.runId);
      const stale = { runId: claim.runId, leaseToken: claim.leaseToken };
      await expectLeaseLost(context.store.failRun({ ...stale, error: sampleError() }));
      await expectLeaseLost(context.store.retryRun({ ...stale, error: sampleError(), delayMs: 0 }));
      await expectLeaseLost(context.store.retryRun({ ...stale, error: sampleError(), delayMs: 0, stepId: "s" }));
      await expectLeaseLost(context.store.pauseRun({ ...stale, delayMs: 1_000, reason: "zombie" }));
      await expectLeaseLost(context.store.releaseRun(stale));
      expect(await context.getRun(claim.runId)).toEqual(before);
      expect(before.status).toBe("RUNNING");
      expect(before.leaseExpiresAt?.getTime()).toBe(holder.leaseExpiresAt.getTime());
    });

    it("leases and fencing: a made-up token is refused on a RUNNING run", async () => {
      const { claim } = await context.startRun();
      const forged = { runId: claim.runId, leaseToken: `${claim.leaseToken}-forged` };
      await expectLeaseLost(context.store.saveStep({ ...forged, stepId: "s", output: 1 }));
      await expectLeaseLost(context.store.completeRun({ ...forged, output: 1 }));
      const run = await context.getRun(claim.runId);
      expect(run.status).toBe("RUNNING");
      expect(run.steps).toEqual([]);
    });

    it("leases and fencing: fenced writes on a QUEUED or PAUSED run (no current lease) are refused", async () => {
      const { workflow, claim } = await context.startRun();
      const lease = { runId: claim.runId, leaseToken: claim.leaseToken };
      await context.store.releaseRun(lease);
      await expectLeaseLost(context.store.saveStep({ ...lease, stepId: "s", output: 1 }));
      await expectLeaseLost(context.store.completeRun({ ...lease, output: 1 }));
      expect((await context.getRun(claim.runId)).status).toBe("QUEUED");
      const second = await context.claimOne(workflow);
      await context.store.pauseRun({ runId: second.runId, leaseToken: second.leaseToken, delayMs: 60_000 });
      await expectLeaseLost(context.store.saveStep({ runId: second.runId, leaseToken: second.leaseToken, stepId: "s", output: 1 }));
      await expectLeaseLost(context.store.failRun({ runId: second.runId, leaseToken: second.leaseToken, error: sampleError() }));
      const run = await context.getRun(claim.runId);
      expect(run.status).toBe("PAUSED");
      expect(run.steps).toEqual([]);
    });

    it("leases and fencing: fenced writes on an unknown run are refused", async () => {
      const unknown = { runId: "987654321987654321", leaseToken: "token" };
      await expectLeaseLost(context.store.saveStep({ ...unknown, stepId: "s", output: 1 }));
      await expectLeaseLost(context.store.completeRun({ ...unknown, output: 1 }));
      expect(await context.store.getRun({ runId: unknown.runId })).toBeNull();
    });
  });
}
