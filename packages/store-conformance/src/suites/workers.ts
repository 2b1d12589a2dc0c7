import { describe, expect, it } from "vitest";
import { leaseMs, type SuiteContext } from "../harness";

/** `registerWorker`, `deregisterWorker`, `listWorkers`. */
export function describeWorkers(context: SuiteContext): void {
  describe("workers", () => {
    it("workers: registering the same name twice returns different ids", async () => {
      const workflow = await context.newWorkflow();
      const first = await context.store.registerWorker({ name: "worker-1", workflow });
      const second = await context.store.registerWorker({ name: "worker-1", workflow });
      expect(first.workerId).not.toBe(second.workerId);
      expect(typeof first.workerId).toBe("string");
    });

    it("workers: listWorkers shows a registered worker with its name, workflow and times", async () => {
      const workflow = await context.newWorkflow();
      const { workerId } = await context.store.registerWorker({ name: "lister", workflow });
      const worker = (await context.store.listWorkers()).find((record) => record.workerId === workerId);
      expect(worker).toMatchObject({ workerId, name: "lister", workflow, stoppedAt: null });
      expect(worker?.startedAt).toBeInstanceOf(Date);
      expect(worker?.lastSeenAt).toBeInstanceOf(Date);
    });

    it("workers: deregisterWorker sets stoppedAt", async () => {
      const workflow = await context.newWorkflow();
      const { workerId } = await context.store.registerWorker({ name: "stopper", workflow });
      await context.store.deregisterWorker({ workerId });
      const worker = (await context.store.listWorkers()).find((record) => record.workerId === workerId);
      expect(worker?.stoppedAt).toBeInstanceOf(Date);
    });

    it("workers: deregisterWorker leaves the worker's leases untouched", async () => {
      const workflow = await context.newWorkflow();
      await context.enqueue(workflow);
      const workerId = await context.newWorker(workflow);
      const [claim] = await context.store.claimRuns({ workerId, workflow, limit: 1, leaseMs });
      if (claim === undefined) throw new Error("expected a claim");
      await context.store.deregisterWorker({ workerId });
      const run = await context.getRun(claim.runId);
      expect(run.status).toBe("RUNNING");
      expect(run.leaseExpiresAt?.getTime()).toBe(claim.leaseExpiresAt.getTime());
      await context.store.completeRun({ runId: claim.runId, leaseToken: claim.leaseToken, output: 1 });
      expect((await context.getRun(claim.runId)).status).toBe("SUCCESS");
    });

    it("workers: a heartbeat records the worker as seen, and listWorkers puts the most recently seen first", async () => {
      const workflow = await context.newWorkflow();
      const older = await context.newWorker(workflow);
      await context.advanceTime(10_000);
      const newer = await context.newWorker(workflow);
      await context.advanceTime(10_000);
      await context.store.extendLeases({ workerId: older, leaseMs, leases: [] });
      const ids = (await context.store.listWorkers()).map((worker) => worker.workerId).filter((id) => id === older || id === newer);
      expect(ids).toEqual([older, newer]);
      const [seen, registered] = (await context.store.listWorkers()).filter((worker) => worker.workerId === older || worker.workerId === newer);
      expect((seen?.lastSeenAt.getTime() ?? 0) - (registered?.lastSeenAt.getTime() ?? 0)).toBeGreaterThan(5_000);
    });

    it("workers: listWorkers honours limit", async () => {
      const workflow = await context.newWorkflow();
      for (let index = 0; index < 3; index += 1) await context.newWorker(workflow);
      expect(await context.store.listWorkers({ limit: 2 })).toHaveLength(2);
    });
  });
}
