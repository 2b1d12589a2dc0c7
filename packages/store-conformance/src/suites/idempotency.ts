import { describe, expect, it } from "vitest";
import type { SuiteContext } from "../harness";

/** `enqueue` with an `idempotencyKey`. */
export function describeIdempotency(context: SuiteContext): void {
  describe("idempotency", () => {
    it("idempotency: a second enqueue with the same key returns the first message, created false, and no new run", async () => {
      const workflow = await context.newWorkflow();
      const first = await context.store.enqueue({ workflow, input: { order: 1 }, idempotencyKey: "order-1" });
      const second = await context.store.enqueue({ workflow, input: { order: 1 }, idempotencyKey: "order-1" });
      expect(first.created).toBe(true);
      expect(second.created).toBe(false);
      expect(second.message).toEqual(first.message);
      const page = await context.store.listRuns({ workflow });
      expect(page.runs.map((run) => run.runId)).toEqual([first.message.runId]);
    });

    it("idempotency: the repeat writes nothing, even with other input or delay", async () => {
      const workflow = await context.newWorkflow();
      const first = await context.store.enqueue({ workflow, input: "original", idempotencyKey: "k" });
      const second = await context.store.enqueue({ workflow, input: "other", idempotencyKey: "k", delayMs: 600_000 });
      expect(second.message.id).toBe(first.message.id);
      const run = await context.getRun(first.message.runId);
      expect(run.input).toBe("original");
      expect((await context.claimOne(workflow)).runId).toBe(first.message.runId);
    });

    it("idempotency: different keys make different runs", async () => {
      const workflow = await context.newWorkflow();
      const first = await context.store.enqueue({ workflow, input: 1, idempotencyKey: "a" });
      const second = await context.store.enqueue({ workflow, input: 2, idempotencyKey: "b" });
      expect(second.created).toBe(true);
      expect(second.message.runId).not.toBe(first.message.runId);
    });

    it("idempotency: the same key in two workflows makes two runs", async () => {
      const one = await context.newWorkflow();
      const two = await context.newWorkflow();
      const first = await context.store.enqueue({ workflow: one, input: 1, idempotencyKey: "shared" });
      const second = await context.store.enqueue({ workflow: two, input: 1, idempotencyKey: "shared" });
      expect(second.created).toBe(true);
      expect(second.message.workflow).toBe(two);
      expect(second.message.runId).not.toBe(first.message.runId);
    });

    it("idempotency: without a key every enqueue makes a new run", async () => {
      const workflow = await context.newWorkflow();
      const first = await context.store.enqueue({ workflow, input: 1 });
      const second = await context.store.enqueue({ workflow, input: 1 });
      expect(first.created && second.created).toBe(true);
      expect(second.message.runId).not.toBe(first.message.runId);
    });

    it("idempotency: the key still returns the first message after its run finished", async () => {
      const workflow = await context.newWorkflow();
      const first = await context.store.enqueue({ workflow, input: 1, idempotencyKey: "done-key" });
      const claim = await context.claimOne(workflow);
      await context.store.completeRun({ runId: claim.runId, leaseToken: claim.leaseToken, output: "done" });
      const again = await context.store.enqueue({ workflow, input: 1, idempotencyKey: "done-key" });
      expect(again).toEqual({ message: first.message, created: false });
      expect(await context.claim(workflow, 5)).toEqual([]);
    });
  });
}
