import { UnknownWorkflowError } from "@pgqrs/core";
import { describe, expect, it } from "vitest";
import { expectOffset, expectRejection, leaseMs, sampleError, type SuiteContext } from "../harness";
import { createEventRecorder, notifySkip, waitForStoreEvent } from "../store-events";

let unknownCounter = 0;

/** `pauseWorkflow` and `resumeWorkflow`: an operator's stop of a whole workflow's claims. */
export function describeWorkflowPause(context: SuiteContext): void {
  describe("workflow pause", () => {
    const record = createEventRecorder(context);

    it("workflow pause: a new workflow is not paused", async () => {
      const name = await context.newWorkflow();
      expect((await context.store.getWorkflow({ name }))?.pausedAt).toBeNull();
      expect((await context.store.createWorkflow({ name })).pausedAt).toBeNull();
    });

    it("workflow pause: pauseWorkflow sets pausedAt on the store clock; getWorkflow and listWorkflows show it", async () => {
      const name = await context.newWorkflow();
      await context.advanceTime(60_000);
      const paused = await context.store.pauseWorkflow({ name });
      expect(paused.name).toBe(name);
      expectOffset(paused.pausedAt, paused.createdAt, 60_000);
      expect(await context.store.getWorkflow({ name })).toEqual(paused);
      expect((await context.store.listWorkflows()).find((workflow) => workflow.name === name)).toEqual(paused);
    });

    it("workflow pause: a paused workflow's visible runs are not claimed while another workflow's are", async () => {
      const paused = await context.newWorkflow();
      const running = await context.newWorkflow();
      const held = await context.enqueue(paused);
      const other = await context.enqueue(running);
      await context.store.pauseWorkflow({ name: paused });
      expect(await context.claim(paused, 10)).toEqual([]);
      expect((await context.claim(running, 10)).map((claim) => claim.runId)).toEqual([other.runId]);
      expect((await context.getRun(held.runId)).status).toBe("QUEUED");
    });

    it("workflow pause: no run of a paused workflow is claimed: delayed, retried, paused or with an expired lease", async () => {
      const workflow = await context.newWorkflow();
      await context.enqueue(workflow, { delayMs: 60_000 });
      await context.enqueue(workflow);
      await context.enqueue(workflow);
      await context.enqueue(workflow);
      const [retried, paused, crashed] = await context.claim(workflow, 3);
      if (retried === undefined || paused === undefined || crashed === undefined) throw new Error("expected three claims");
      await context.store.retryRun({ runId: retried.runId, leaseToken: retried.leaseToken, error: sampleError(), delayMs: 1_000 });
      await context.store.pauseRun({ runId: paused.runId, leaseToken: paused.leaseToken, delayMs: 1_000 });
      await context.store.pauseWorkflow({ name: workflow });
      await context.advanceTime(leaseMs + 60_000);
      expect(await context.claim(workflow, 10)).toEqual([]);
      await context.store.resumeWorkflow({ name: workflow });
      expect(await context.claim(workflow, 10)).toHaveLength(4);
    });

    it("workflow pause: a RUNNING run of a paused workflow still saves steps, heartbeats and completes", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.pauseWorkflow({ name: workflow });
      const lease = { runId: claim.runId, leaseToken: claim.leaseToken };
      expect(await context.store.saveStep({ ...lease, stepId: "in-flight", output: 1 })).toEqual({ output: 1, created: true, cancelRequested: false });
      const workerId = await context.newWorker(workflow);
      expect((await context.store.extendLeases({ workerId, leaseMs, leases: [lease] })).extended).toEqual([claim.runId]);
      await context.store.completeRun({ ...lease, output: "finished" });
      expect(await context.getRun(claim.runId)).toMatchObject({ status: "SUCCESS", output: "finished" });
    });

    it("workflow pause: enqueue still creates runs while the workflow is paused", async () => {
      const workflow = await context.newWorkflow();
      await context.store.pauseWorkflow({ name: workflow });
      const { message, created } = await context.store.enqueue({ workflow, input: { n: 1 } });
      expect(created).toBe(true);
      expect((await context.getRun(message.runId)).status).toBe("QUEUED");
      expect(await context.claim(workflow, 1)).toEqual([]);
    });

    it("workflow pause: resumeWorkflow makes its runs claimable at once and clears pausedAt", async () => {
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow);
      await context.store.pauseWorkflow({ name: workflow });
      await context.advanceTime(60_000);
      expect(await context.claim(workflow, 1)).toEqual([]);
      const resumed = await context.store.resumeWorkflow({ name: workflow });
      expect(resumed).toMatchObject({ name: workflow, pausedAt: null });
      expect((await context.store.getWorkflow({ name: workflow }))?.pausedAt).toBeNull();
      expect((await context.claimOne(workflow)).runId).toBe(message.runId);
    });

    it("workflow pause: pauseWorkflow is idempotent and keeps the first pausedAt", async () => {
      const workflow = await context.newWorkflow();
      await context.store.pauseWorkflow({ name: workflow });
      await context.advanceTime(60_000);
      const before = await context.store.getWorkflow({ name: workflow });
      const again = await context.store.pauseWorkflow({ name: workflow });
      expect(again).toEqual(before);
      expectOffset(again.pausedAt, again.createdAt, 0);
      expect(await context.store.getWorkflow({ name: workflow })).toEqual(before);
    });

    it("workflow pause: createWorkflow of a paused workflow changes nothing and it stays paused", async () => {
      const workflow = await context.newWorkflow();
      const paused = await context.store.pauseWorkflow({ name: workflow });
      expect(await context.store.createWorkflow({ name: workflow })).toEqual(paused);
      await context.enqueue(workflow);
      expect(await context.claim(workflow, 1)).toEqual([]);
    });

    it("workflow pause: resumeWorkflow of a workflow that is not paused is fine and changes nothing", async () => {
      const workflow = await context.newWorkflow();
      const before = await context.store.getWorkflow({ name: workflow });
      expect(await context.store.resumeWorkflow({ name: workflow })).toEqual(before);
      await context.store.pauseWorkflow({ name: workflow });
      await context.store.resumeWorkflow({ name: workflow });
      expect(await context.store.resumeWorkflow({ name: workflow })).toEqual(before);
      expect(await context.store.getWorkflow({ name: workflow })).toEqual(before);
    });

    it("workflow pause: pauseWorkflow and resumeWorkflow take the bare name too", async () => {
      const workflow = await context.newWorkflow();
      await context.enqueue(workflow);
      const paused = await context.store.pauseWorkflow(workflow);
      expect(paused.name).toBe(workflow);
      expect(paused.pausedAt).toBeInstanceOf(Date);
      expect(await context.claim(workflow, 1)).toEqual([]);
      const resumed = await context.store.resumeWorkflow(workflow);
      expect(resumed).toMatchObject({ name: workflow, pausedAt: null });
      await context.claimOne(workflow);
    });

    it("workflow pause: pausing one workflow leaves the others alone", async () => {
      const paused = await context.newWorkflow();
      const other = await context.newWorkflow();
      await context.store.pauseWorkflow({ name: paused });
      expect((await context.store.getWorkflow({ name: other }))?.pausedAt).toBeNull();
    });

    it("workflow pause: pauseWorkflow and resumeWorkflow of an unknown workflow throw UnknownWorkflowError and create nothing", async () => {
      unknownCounter += 1;
      const name = `never_created_pause_${unknownCounter}`;
      await expectRejection(context.store.pauseWorkflow({ name }), UnknownWorkflowError);
      await expectRejection(context.store.pauseWorkflow(name), UnknownWorkflowError);
      await expectRejection(context.store.resumeWorkflow({ name }), UnknownWorkflowError);
      await expectRejection(context.store.resumeWorkflow(name), UnknownWorkflowError);
      expect(await context.store.getWorkflow({ name })).toBeNull();
      expect((await context.store.listWorkflows()).map((workflow) => workflow.name)).not.toContain(name);
    });

    it("workflow pause: with notify, resumeWorkflow publishes enqueued for the workflow", async ({ skip }) => {
      if (!context.store.capabilities.notify) return skip(notifySkip);
      const workflow = await context.newWorkflow();
      await context.enqueue(workflow);
      await context.store.pauseWorkflow({ name: workflow });
      const events = await record();
      await context.store.resumeWorkflow({ name: workflow });
      await waitForStoreEvent(events, (event) => event.type === "enqueued" && event.workflow === workflow);
    });
  });
}
