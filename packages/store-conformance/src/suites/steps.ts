import { describe, expect, it } from "vitest";
import { leaseMs, richJson, type SuiteContext } from "../harness";

/** `saveStep`: the memo of completed steps, first output wins. */
export function describeSteps(context: SuiteContext): void {
  describe("step memo", () => {
    it("step memo: saveStep stores the output, reports created, and getRun shows it", async () => {
      const { claim } = await context.startRun();
      const saved = await context.store.saveStep({ runId: claim.runId, leaseToken: claim.leaseToken, stepId: "fetch", output: { rows: 3 } });
      expect(saved).toEqual({ output: { rows: 3 }, created: true, cancelRequested: false });
      const [step] = (await context.getRun(claim.runId)).steps;
      expect(step?.stepId).toBe("fetch");
      expect(step?.output).toEqual({ rows: 3 });
      expect(step?.completedAt).toBeInstanceOf(Date);
    });

    it("step memo: a second save of the same step keeps and returns the first output", async () => {
      const { claim } = await context.startRun();
      const lease = { runId: claim.runId, leaseToken: claim.leaseToken };
      await context.store.saveStep({ ...lease, stepId: "pick", output: "first" });
      const second = await context.store.saveStep({ ...lease, stepId: "pick", output: "second" });
      expect(second).toEqual({ output: "first", created: false, cancelRequested: false });
      const steps = (await context.getRun(claim.runId)).steps;
      expect(steps).toHaveLength(1);
      expect(steps[0]?.output).toBe("first");
    });

    it("step memo: a void step (output undefined) reads back undefined everywhere", async () => {
      const { workflow, claim } = await context.startRun();
      const lease = { runId: claim.runId, leaseToken: claim.leaseToken };
      const saved = await context.store.saveStep({ ...lease, stepId: "notify", output: undefined });
      expect(saved.created).toBe(true);
      expect(saved.output).toBeUndefined();
      const again = await context.store.saveStep({ ...lease, stepId: "notify", output: "late value" });
      expect(again.created).toBe(false);
      expect(again.output).toBeUndefined();
      const [step] = (await context.getRun(claim.runId)).steps;
      expect(step?.stepId).toBe("notify");
      expect(step?.output).toBeUndefined();
      await context.store.releaseRun(lease);
      const [replayed] = (await context.claimOne(workflow)).steps;
      expect(replayed?.stepId).toBe("notify");
      expect(replayed?.output).toBeUndefined();
    });

    it("step memo: a null output reads back null, not undefined", async () => {
      const { claim } = await context.startRun();
      await context.store.saveStep({ runId: claim.runId, leaseToken: claim.leaseToken, stepId: "nothing", output: null });
      expect((await context.getRun(claim.runId)).steps[0]?.output).toBeNull();
    });

    it("step memo: step outputs round-trip exactly (nested JSON, unicode, large-ish payloads, scalars)", async () => {
      const { claim } = await context.startRun();
      const lease = { runId: claim.runId, leaseToken: claim.leaseToken };
      const outputs = [richJson(), "ünïcode ✓", 0, -12.75, true, false, [], {}, [null, [1, [2]]]];
      for (const [index, output] of outputs.entries()) {
        const saved = await context.store.saveStep({ ...lease, stepId: `step-${index}`, output });
        expect(saved.output).toEqual(output);
      }
      const steps = (await context.getRun(claim.runId)).steps;
      expect(steps.map((step) => step.output)).toEqual(outputs);
    });

    it("step memo: completed steps survive a retry and are handed to the next claim", async () => {
      const { workflow, claim } = await context.startRun();
      const lease = { runId: claim.runId, leaseToken: claim.leaseToken };
      await context.store.saveStep({ ...lease, stepId: "a", output: 1 });
      await context.store.retryRun({ ...lease, error: { name: "Error", message: "x", attempt: 1 }, delayMs: 0 });
      const next = await context.claimOne(workflow);
      expect(next.steps.map((step) => [step.stepId, step.output])).toEqual([["a", 1]]);
      const again = await context.store.saveStep({ runId: next.runId, leaseToken: next.leaseToken, stepId: "a", output: 2 });
      expect(again).toEqual({ output: 1, created: false, cancelRequested: false });
    });

    it("step memo: a new holder saving a step the crashed holder stored gets the first output", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.saveStep({ runId: claim.runId, leaseToken: claim.leaseToken, stepId: "charge", output: { id: "ch_1" } });
      await context.advanceTime(leaseMs + 1_000);
      const holder = await context.claimOne(workflow);
      const saved = await context.store.saveStep({ runId: holder.runId, leaseToken: holder.leaseToken, stepId: "charge", output: { id: "ch_2" } });
      expect(saved).toEqual({ output: { id: "ch_1" }, created: false, cancelRequested: false });
    });

    it("step memo: steps belong to their run only", async () => {
      const workflow = await context.newWorkflow();
      await context.enqueue(workflow);
      await context.enqueue(workflow);
      const [first, second] = await context.claim(workflow, 2);
      if (first === undefined || second === undefined) throw new Error("expected two claims");
      await context.store.saveStep({ runId: first.runId, leaseToken: first.leaseToken, stepId: "shared-id", output: "first" });
      const saved = await context.store.saveStep({ runId: second.runId, leaseToken: second.leaseToken, stepId: "shared-id", output: "second" });
      expect(saved).toEqual({ output: "second", created: true, cancelRequested: false });
      expect((await context.getRun(first.runId)).steps.map((step) => step.output)).toEqual(["first"]);
      expect((await context.getRun(second.runId)).steps.map((step) => step.output)).toEqual(["second"]);
    });

    it("step memo: a stored output is copied, so mutating the saved value changes nothing", async () => {
      const { claim } = await context.startRun();
      const output = { items: ["a"] };
      const saved = await context.store.saveStep({ runId: claim.runId, leaseToken: claim.leaseToken, stepId: "s", output });
      output.items.push("b");
      (saved.output as { items: string[] }).items.push("c");
      expect((await context.getRun(claim.runId)).steps[0]?.output).toEqual({ items: ["a"] });
    });

    it("step memo: step ids of up to 255 characters and with any characters are kept exactly", async () => {
      const { claim } = await context.startRun();
      const lease = { runId: claim.runId, leaseToken: claim.leaseToken };
      const ids = ["x".repeat(255), "with spaces/and:colons", "ünïcode-✓", "0"];
      for (const stepId of ids) await context.store.saveStep({ ...lease, stepId, output: stepId.length });
      expect((await context.getRun(claim.runId)).steps.map((step) => step.stepId)).toEqual(ids);
    });
  });
}
