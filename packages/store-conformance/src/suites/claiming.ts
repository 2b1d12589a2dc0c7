import { describe, expect, it } from "vitest";
import { expectOffset, leaseMs, type SuiteContext } from "../harness";

/** `claimRuns`: what is visible, in which order, how many, and what a claim returns. */
export function describeClaiming(context: SuiteContext): void {
  describe("claiming", () => {
    it("claiming: a claim returns the run RUNNING with attempt 1, a lease token and lease end now + leaseMs", async () => {
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow, { input: { job: "x" } });
      const claim = await context.claimOne(workflow, { leaseMs: 40_000 });
      expect(claim).toMatchObject({
        runId: message.runId,
        messageId: message.id,
        workflow,
        input: { job: "x" },
        attempt: 1,
        runFailures: 0,
        stepFailures: {},
        resumedFromPause: false,
        steps: [],
      });
      expect(typeof claim.leaseToken).toBe("string");
      expect(claim.leaseToken.length).toBeGreaterThan(0);
      expectOffset(claim.leaseExpiresAt, message.createdAt, 40_000);
      expect((await context.getRun(message.runId)).status).toBe("RUNNING");
    });

    it("claiming: claim honours limit", async () => {
      const workflow = await context.newWorkflow();
      for (let index = 0; index < 5; index += 1) await context.enqueue(workflow);
      expect(await context.claim(workflow, 3)).toHaveLength(3);
      expect(await context.claim(workflow, 3)).toHaveLength(2);
      expect(await context.claim(workflow, 3)).toHaveLength(0);
    });

    it("claiming: claims in batches hand out every run exactly once", async () => {
      const workflow = await context.newWorkflow();
      const messages = [];
      for (let index = 0; index < 7; index += 1) messages.push(await context.enqueue(workflow));
      const claimed: string[] = [];
      for (let batch = 0; batch < 4; batch += 1) {
        for (const claim of await context.claim(workflow, 2)) claimed.push(claim.runId);
      }
      expect([...claimed].sort()).toEqual(messages.map((message) => message.runId).sort());
      expect(new Set(claimed).size).toBe(7);
    });

    it("claiming: a claim with nothing visible returns an empty list", async () => {
      const workflow = await context.newWorkflow();
      expect(await context.claim(workflow, 10)).toEqual([]);
    });

    it("claiming: a claim only takes runs of the workflow it names", async () => {
      const mine = await context.newWorkflow();
      const other = await context.newWorkflow();
      const otherMessage = await context.enqueue(other);
      const myMessage = await context.enqueue(mine);
      const claimed = await context.claim(mine, 10);
      expect(claimed.map((claim) => claim.runId)).toEqual([myMessage.runId]);
      expect((await context.getRun(otherMessage.runId)).status).toBe("QUEUED");
    });

    it("claiming: a claim skips runs visible in the future until advanceTime reaches them", async () => {
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow, { delayMs: 60_000 });
      expect(await context.claim(workflow, 10)).toEqual([]);
      await context.advanceTime(50_000);
      expect(await context.claim(workflow, 10)).toEqual([]);
      await context.advanceTime(15_000);
      const claimed = await context.claim(workflow, 10);
      expect(claimed.map((claim) => claim.runId)).toEqual([message.runId]);
    });

    it("claiming: a run with a live lease is not handed to another claimer", async () => {
      const { workflow } = await context.startRun();
      await context.advanceTime(leaseMs - 10_000);
      expect(await context.claim(workflow, 10)).toEqual([]);
    });

    it("claiming: the run visible longest is claimed first, whatever the enqueue order", async () => {
      const workflow = await context.newWorkflow();
      const late = await context.enqueue(workflow, { delayMs: 50_000 });
      const early = await context.enqueue(workflow, { delayMs: 10_000 });
      await context.advanceTime(60_000);
      expect((await context.claimOne(workflow)).runId).toBe(early.runId);
      expect((await context.claimOne(workflow)).runId).toBe(late.runId);
    });

    it("claiming: runs visible at the same moment are claimed in enqueue order", async () => {
      const workflow = await context.newWorkflow();
      const first = await context.enqueue(workflow);
      const second = await context.enqueue(workflow);
      const third = await context.enqueue(workflow);
      const claimed = await context.claim(workflow, 3);
      expect(claimed.map((claim) => claim.runId)).toEqual([first.runId, second.runId, third.runId]);
    });

    it("claiming: every claim issues a fresh lease token and attempt + 1", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.releaseRun({ runId: claim.runId, leaseToken: claim.leaseToken });
      const second = await context.claimOne(workflow);
      expect(second.runId).toBe(claim.runId);
      expect(second.attempt).toBe(2);
      expect(second.leaseToken).not.toBe(claim.leaseToken);
      await context.advanceTime(leaseMs + 1_000);
      const third = await context.claimOne(workflow);
      expect(third.attempt).toBe(3);
      expect(new Set([claim.leaseToken, second.leaseToken, third.leaseToken]).size).toBe(3);
    });

    it("claiming: lease tokens differ between runs claimed together", async () => {
      const workflow = await context.newWorkflow();
      for (let index = 0; index < 4; index += 1) await context.enqueue(workflow);
      const claimed = await context.claim(workflow, 4);
      expect(new Set(claimed.map((claim) => claim.leaseToken)).size).toBe(4);
    });

    it("claiming: a claim carries the completed steps and failure counts so far", async () => {
      const { workflow, claim } = await context.startRun();
      const lease = { runId: claim.runId, leaseToken: claim.leaseToken };
      await context.store.saveStep({ ...lease, stepId: "one", output: { value: 1 } });
      await context.store.saveStep({ ...lease, stepId: "two", output: undefined });
      await context.store.retryRun({ ...lease, error: { name: "Error", message: "boom", attempt: 1, stepId: "three" }, delayMs: 0, stepId: "three" });
      const next = await context.claimOne(workflow);
      expect(next.steps.map((step) => [step.stepId, step.output])).toEqual([
        ["one", { value: 1 }],
        ["two", undefined],
      ]);
      expect(next.stepFailures).toEqual({ three: 1 });
      expect(next.runFailures).toBe(0);
      expect(next.attempt).toBe(2);
    });
  });
}
