import { describe, expect, it } from "vitest";
import { expectOffset, richJson, sampleError, type SuiteContext } from "../harness";

/** Enqueue, read back, and the timestamps and values of a run's life. */
export function describeRuns(context: SuiteContext): void {
  describe("runs", () => {
    it("runs: enqueue creates one QUEUED run with attempt 0, no output, no error and zero failure counts", async () => {
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow, { input: { a: 1 } });
      const run = await context.getRun(message.runId);
      expect(run).toMatchObject({
        runId: message.runId,
        messageId: message.id,
        workflow,
        status: "QUEUED",
        input: { a: 1 },
        error: null,
        attempt: 0,
        runFailures: 0,
        stepFailures: {},
        startedAt: null,
        finishedAt: null,
        leaseExpiresAt: null,
        pauseReason: null,
        cancelRequestedAt: null,
        cancelReason: null,
        steps: [],
      });
      expect(run.output).toBeUndefined();
    });

    it("runs: message and run ids are decimal strings, new for every enqueue", async () => {
      const workflow = await context.newWorkflow();
      const first = await context.enqueue(workflow);
      const second = await context.enqueue(workflow);
      for (const id of [first.id, first.runId, second.id, second.runId]) expect(id).toMatch(/^\d+$/);
      expect(new Set([first.id, second.id]).size).toBe(2);
      expect(new Set([first.runId, second.runId]).size).toBe(2);
      expect(first.workflow).toBe(workflow);
    });

    it("runs: the message is visible at creation without a delay, and the run agrees", async () => {
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow);
      expectOffset(message.visibleAt, message.createdAt, 0);
      const run = await context.getRun(message.runId);
      expectOffset(run.createdAt, message.createdAt, 0);
      expectOffset(run.visibleAt, run.createdAt, 0);
    });

    it("runs: getRun of an unknown run id returns null", async () => {
      expect(await context.store.getRun({ runId: "987654321987654321" })).toBeNull();
    });

    it("runs: input round-trips exactly (nested JSON, unicode, large-ish payloads)", async () => {
      const workflow = await context.newWorkflow();
      const input = richJson();
      const message = await context.enqueue(workflow, { input });
      expect((await context.getRun(message.runId)).input).toEqual(input);
      const claim = await context.claimOne(workflow);
      expect(claim.input).toEqual(input);
    });

    it("runs: scalar and array inputs round-trip (null, string, number, boolean, array)", async () => {
      const workflow = await context.newWorkflow();
      for (const input of [null, "text", 42, 0.5, false, [1, "two", null]]) {
        const message = await context.enqueue(workflow, { input });
        expect((await context.getRun(message.runId)).input).toEqual(input);
      }
    });

    it("runs: values are copied, so mutating what went in or came out changes nothing stored", async () => {
      const workflow = await context.newWorkflow();
      const input = { list: [1, 2], inner: { value: "kept" } };
      const message = await context.enqueue(workflow, { input });
      input.list.push(3);
      input.inner.value = "mutated";
      const read = await context.getRun(message.runId);
      (read.input as { inner: { value: string } }).inner.value = "mutated again";
      expect((await context.getRun(message.runId)).input).toEqual({ list: [1, 2], inner: { value: "kept" } });
    });

    it("runs: startedAt is set by the first claim and kept by later claims", async () => {
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow);
      await context.advanceTime(60_000);
      const claim = await context.claimOne(workflow);
      const started = await context.getRun(message.runId);
      expectOffset(started.startedAt, started.createdAt, 60_000);
      expect(started.finishedAt).toBeNull();
      await context.store.releaseRun({ runId: claim.runId, leaseToken: claim.leaseToken });
      await context.advanceTime(120_000);
      await context.claimOne(workflow);
      const reclaimed = await context.getRun(message.runId);
      expectOffset(reclaimed.startedAt, reclaimed.createdAt, 60_000);
    });

    it("runs: completeRun makes the run SUCCESS with its output, finishedAt, and no lease or visibility", async () => {
      const { claim } = await context.startRun();
      await context.advanceTime(60_000);
      await context.store.completeRun({ runId: claim.runId, leaseToken: claim.leaseToken, output: { done: true } });
      const run = await context.getRun(claim.runId);
      expect(run).toMatchObject({ status: "SUCCESS", output: { done: true }, leaseExpiresAt: null, visibleAt: null });
      expectOffset(run.finishedAt, run.createdAt, 60_000);
    });

    it("runs: output round-trips exactly (nested JSON, unicode, large-ish payloads)", async () => {
      const { claim } = await context.startRun();
      const output = richJson();
      await context.store.completeRun({ runId: claim.runId, leaseToken: claim.leaseToken, output });
      expect((await context.getRun(claim.runId)).output).toEqual(output);
    });

    it("runs: a run completed with output undefined reads back undefined; null reads back null", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.completeRun({ runId: claim.runId, leaseToken: claim.leaseToken, output: undefined });
      const voidRun = await context.getRun(claim.runId);
      expect(voidRun.status).toBe("SUCCESS");
      expect(voidRun.output).toBeUndefined();
      await context.enqueue(workflow);
      const second = await context.claimOne(workflow);
      await context.store.completeRun({ runId: second.runId, leaseToken: second.leaseToken, output: null });
      expect((await context.getRun(second.runId)).output).toBeNull();
    });

    it("runs: failRun makes the run ERROR with the error exactly as given, and finishedAt", async () => {
      const { claim } = await context.startRun();
      const error = sampleError({
        name: "PermanentError",
        message: "bad input — ünïcode",
        code: "PERMANENT",
        data: { field: "email", reasons: ["missing @"] },
        stack: "PermanentError: bad input\n    at handler",
        stepId: "validate",
        causes: [{ name: "TypeError", message: "cannot read x" }],
      });
      await context.store.failRun({ runId: claim.runId, leaseToken: claim.leaseToken, error });
      const run = await context.getRun(claim.runId);
      expect(run).toMatchObject({ status: "ERROR", error, leaseExpiresAt: null, visibleAt: null });
      expect(run.output).toBeUndefined();
      expectOffset(run.finishedAt, run.createdAt, 0);
    });

    it("runs: the claimed run reads back RUNNING with its attempt and lease end", async () => {
      const { claim } = await context.startRun({ leaseMs: 45_000 });
      const run = await context.getRun(claim.runId);
      expect(run.status).toBe("RUNNING");
      expect(run.attempt).toBe(1);
      expect(run.leaseExpiresAt?.getTime()).toBe(claim.leaseExpiresAt.getTime());
      expectOffset(run.leaseExpiresAt, run.createdAt, 45_000);
    });

    it("runs: getRun lists completed steps in completion order with completedAt", async () => {
      const { claim } = await context.startRun();
      const lease = { runId: claim.runId, leaseToken: claim.leaseToken };
      await context.store.saveStep({ ...lease, stepId: "zeta", output: 1 });
      await context.advanceTime(10_000);
      await context.store.saveStep({ ...lease, stepId: "alpha", output: 2 });
      await context.advanceTime(10_000);
      await context.store.saveStep({ ...lease, stepId: "mu", output: 3 });
      const run = await context.getRun(claim.runId);
      expect(run.steps.map((step) => step.stepId)).toEqual(["zeta", "alpha", "mu"]);
      expect(run.steps.map((step) => step.output)).toEqual([1, 2, 3]);
      const [zeta, alpha, mu] = run.steps;
      expectOffset(zeta?.completedAt, run.createdAt, 0);
      expectOffset(alpha?.completedAt, run.createdAt, 10_000);
      expectOffset(mu?.completedAt, run.createdAt, 20_000);
    });
  });
}
