import { describe, expect, it } from "vitest";
import { leaseMs, type SuiteContext } from "../harness";

/** Calls issued at once: the store, not the caller, must keep them apart. */
export function describeConcurrency(context: SuiteContext): void {
  describe("concurrency", () => {
    it("concurrency: many parallel claimRuns on N runs claim each run exactly once", async () => {
      const workflow = await context.newWorkflow();
      const runIds: string[] = [];
      for (let index = 0; index < 24; index += 1) runIds.push((await context.enqueue(workflow)).runId);
      const workerIds = await Promise.all(Array.from({ length: 8 }, () => context.newWorker(workflow)));
      const batches = await Promise.all(
        workerIds.flatMap((workerId) => [1, 2].map(() => context.store.claimRuns({ workerId, workflow, limit: 3, leaseMs }))),
      );
      const claimed = batches.flat().map((claim) => claim.runId);
      expect(claimed).toHaveLength(24);
      expect([...claimed].sort()).toEqual([...runIds].sort());
      expect(await context.claim(workflow, 50)).toEqual([]);
    });

    it("concurrency: parallel claims of an expired lease hand the run to one claimer and count one crash", async () => {
      const { workflow, claim } = await context.startRun();
      await context.advanceTime(leaseMs + 1_000);
      const batches = await Promise.all(Array.from({ length: 6 }, () => context.claim(workflow, 5)));
      const winners = batches.flat();
      expect(winners).toHaveLength(1);
      expect(winners[0]).toMatchObject({ runId: claim.runId, attempt: 2, runFailures: 1 });
      expect((await context.getRun(claim.runId)).runFailures).toBe(1);
    });

    it("concurrency: parallel enqueue with the same idempotencyKey creates one run", async () => {
      const workflow = await context.newWorkflow();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, index) => context.store.enqueue({ workflow, input: index, idempotencyKey: "same" })),
      );
      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(new Set(results.map((result) => result.message.id)).size).toBe(1);
      expect(new Set(results.map((result) => result.message.runId)).size).toBe(1);
      const page = await context.store.listRuns({ workflow });
      expect(page.runs).toHaveLength(1);
    });

    it("concurrency: parallel saveStep of one step keeps the first output for everyone", async () => {
      const { claim } = await context.startRun();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          context.store.saveStep({ runId: claim.runId, leaseToken: claim.leaseToken, stepId: "race", output: { writer: index } }),
        ),
      );
      expect(results.filter((result) => result.created)).toHaveLength(1);
      const stored = (await context.getRun(claim.runId)).steps;
      expect(stored).toHaveLength(1);
      for (const result of results) expect(result.output).toEqual(stored[0]?.output);
    });

    it("concurrency: parallel saveStep of different steps stores every one", async () => {
      const { claim } = await context.startRun();
      await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          context.store.saveStep({ runId: claim.runId, leaseToken: claim.leaseToken, stepId: `step-${index}`, output: index }),
        ),
      );
      const steps = (await context.getRun(claim.runId)).steps;
      expect(steps.map((step) => step.stepId).sort()).toEqual(Array.from({ length: 10 }, (_, index) => `step-${index}`).sort());
    });

    it("concurrency: parallel createWorkflow of one name makes one workflow", async () => {
      const name = `${await context.newWorkflow()}_parallel`;
      const records = await Promise.all(Array.from({ length: 8 }, () => context.store.createWorkflow({ name })));
      expect(new Set(records.map((record) => record.createdAt.getTime())).size).toBe(1);
      expect((await context.store.listWorkflows()).filter((workflow) => workflow.name === name)).toHaveLength(1);
    });

    it("concurrency: parallel registerWorker with one name returns distinct ids", async () => {
      const workflow = await context.newWorkflow();
      const results = await Promise.all(Array.from({ length: 8 }, () => context.store.registerWorker({ name: "same", workflow })));
      expect(new Set(results.map((result) => result.workerId)).size).toBe(8);
    });

    it("concurrency: a completion racing a zombie's completion leaves exactly the holder's output", async () => {
      const { workflow, claim } = await context.startRun();
      await context.advanceTime(leaseMs + 1_000);
      const holder = await context.claimOne(workflow);
      const outcomes = await Promise.allSettled([
        context.store.completeRun({ runId: claim.runId, leaseToken: claim.leaseToken, output: "zombie" }),
        context.store.completeRun({ runId: holder.runId, leaseToken: holder.leaseToken, output: "holder" }),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(["rejected", "fulfilled"]);
      expect((await context.getRun(claim.runId)).output).toBe("holder");
    });
  });
}
