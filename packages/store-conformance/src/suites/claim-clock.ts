import { describe, expect, it } from "vitest";
import { expectOffset, leaseMs, sampleError, toleranceMs, type SuiteContext } from "../harness";

/** `ClaimedRun.claimedAt` (the store clock durable timers use) and `ClaimedRun.cancelRequested`. */
export function describeClaimClock(context: SuiteContext): void {
  describe("claim clock", () => {
    it("claim clock: claimedAt is the store clock at the claim", async () => {
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow);
      await context.advanceTime(60_000);
      const claim = await context.claimOne(workflow, { leaseMs: 40_000 });
      expect(claim.claimedAt).toBeInstanceOf(Date);
      const run = await context.getRun(message.runId);
      expectOffset(claim.claimedAt, run.createdAt, 60_000);
      expectOffset(claim.leaseExpiresAt, claim.claimedAt, 40_000);
      expectOffset(run.startedAt, claim.claimedAt, 0);
    });

    it("claim clock: claimedAt moves with advanceTime from one claim to the next", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.releaseRun({ runId: claim.runId, leaseToken: claim.leaseToken });
      await context.advanceTime(120_000);
      const second = await context.claimOne(workflow);
      // Read the base right after each claim: a database store's advanceTime shifts stored times, not returned ones.
      expectOffset(second.claimedAt, (await context.getRun(claim.runId)).createdAt, 120_000);
      await context.store.pauseRun({ runId: second.runId, leaseToken: second.leaseToken, delayMs: 3_600_000 });
      await context.advanceTime(3_600_000);
      const third = await context.claimOne(workflow);
      expectOffset(third.claimedAt, (await context.getRun(claim.runId)).createdAt, 3_720_000);
    });

    it("claim clock: runs claimed together carry the same store clock", async () => {
      const workflow = await context.newWorkflow();
      for (let index = 0; index < 3; index += 1) await context.enqueue(workflow);
      await context.advanceTime(30_000);
      const claimed = await context.claim(workflow, 3);
      expect(claimed).toHaveLength(3);
      const times = claimed.map((claim) => claim.claimedAt.getTime());
      expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(toleranceMs);
    });

    it("claim clock: cancelRequested is false on claims of runs nobody cancelled", async () => {
      const { workflow, claim } = await context.startRun();
      expect(claim.cancelRequested).toBe(false);
      await context.advanceTime(leaseMs + 1_000);
      const reclaim = await context.claimOne(workflow);
      expect(reclaim.cancelRequested).toBe(false);
      await context.store.retryRun({ runId: reclaim.runId, leaseToken: reclaim.leaseToken, error: sampleError(), delayMs: 0 });
      const retried = await context.claimOne(workflow);
      expect(retried.cancelRequested).toBe(false);
      await context.store.pauseRun({ runId: retried.runId, leaseToken: retried.leaseToken, delayMs: 0 });
      expect((await context.claimOne(workflow)).cancelRequested).toBe(false);
    });
  });
}
