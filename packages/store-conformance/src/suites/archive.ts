import { LeaseLostError } from "@pgqrs/core";
import type { ClaimedRun } from "@pgqrs/core/storage";
import { describe, expect, it } from "vitest";
import { expectRejection, leaseMs, sampleError, type SuiteContext } from "../harness";

/** Every fenced write a zombie holding `claim` could attempt, each started only when called. */
function zombieWrites(context: SuiteContext, claim: ClaimedRun): (() => Promise<unknown>)[] {
  const lease = { runId: claim.runId, leaseToken: claim.leaseToken };
  return [
    () => context.store.saveStep({ ...lease, stepId: "zombie-step", output: "zombie" }),
    () => context.store.completeRun({ ...lease, output: "zombie" }),
    () => context.store.failRun({ ...lease, error: sampleError({ message: "zombie" }) }),
    () => context.store.retryRun({ ...lease, error: sampleError({ message: "zombie" }), delayMs: 0 }),
    () => context.store.retryRun({ ...lease, error: sampleError({ message: "zombie" }), delayMs: 0, stepId: "s" }),
    () => context.store.pauseRun({ ...lease, delayMs: 0, reason: "zombie" }),
    () => context.store.releaseRun(lease),
  ];
}

/** Final runs: their message is archived and nothing ever changes them again. */
export function describeArchive(context: SuiteContext): void {
  describe("archive", () => {
    it("archive: a SUCCESS run is never claimed again, however much time passes", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.completeRun({ runId: claim.runId, leaseToken: claim.leaseToken, output: 1 });
      expect(await context.claim(workflow, 10)).toEqual([]);
      await context.advanceTime(leaseMs * 10);
      expect(await context.claim(workflow, 10)).toEqual([]);
      expect((await context.store.countRuns({ workflow })).visibleQueued).toBe(0);
    });

    it("archive: an ERROR run is never claimed again, however much time passes", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.failRun({ runId: claim.runId, leaseToken: claim.leaseToken, error: sampleError() });
      await context.advanceTime(leaseMs * 10);
      expect(await context.claim(workflow, 10)).toEqual([]);
    });

    it("archive: a SUCCESS run refuses every fenced write from its last holder and stays unchanged", async () => {
      const { claim } = await context.startRun();
      await context.store.saveStep({ runId: claim.runId, leaseToken: claim.leaseToken, stepId: "s", output: "real" });
      await context.store.completeRun({ runId: claim.runId, leaseToken: claim.leaseToken, output: "real" });
      const before = await context.getRun(claim.runId);
      for (const write of zombieWrites(context, claim)) await expectRejection(write(), LeaseLostError);
      expect(await context.getRun(claim.runId)).toEqual(before);
    });

    it("archive: an ERROR run refuses every fenced write from its last holder and stays unchanged", async () => {
      const { claim } = await context.startRun();
      await context.store.failRun({ runId: claim.runId, leaseToken: claim.leaseToken, error: sampleError({ message: "real" }) });
      const before = await context.getRun(claim.runId);
      for (const write of zombieWrites(context, claim)) await expectRejection(write(), LeaseLostError);
      expect(await context.getRun(claim.runId)).toEqual(before);
    });

    it("archive: a zombie whose lease expired cannot change the run the new holder finished", async () => {
      const { workflow, claim } = await context.startRun();
      await context.advanceTime(leaseMs + 1_000);
      const holder = await context.claimOne(workflow);
      await context.store.completeRun({ runId: holder.runId, leaseToken: holder.leaseToken, output: "holder" });
      const before = await context.getRun(claim.runId);
      for (const write of zombieWrites(context, claim)) await expectRejection(write(), LeaseLostError);
      expect(await context.getRun(claim.runId)).toEqual(before);
      expect(before.output).toBe("holder");
    });

    it("archive: heartbeats of a final run extend nothing", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.completeRun({ runId: claim.runId, leaseToken: claim.leaseToken, output: 1 });
      const workerId = await context.newWorker(workflow);
      const { extended } = await context.store.extendLeases({ workerId, leaseMs, leases: [{ runId: claim.runId, leaseToken: claim.leaseToken }] });
      expect(extended).toEqual([]);
      expect((await context.getRun(claim.runId)).leaseExpiresAt).toBeNull();
    });

    it("archive: a final run keeps its finishedAt and output when time passes", async () => {
      const { claim } = await context.startRun();
      await context.store.completeRun({ runId: claim.runId, leaseToken: claim.leaseToken, output: { kept: true } });
      const before = await context.getRun(claim.runId);
      await context.advanceTime(3_600_000);
      const after = await context.getRun(claim.runId);
      expect(after.status).toBe("SUCCESS");
      expect(after.output).toEqual({ kept: true });
      expect((after.finishedAt?.getTime() ?? 0) - after.createdAt.getTime()).toBe((before.finishedAt?.getTime() ?? 0) - before.createdAt.getTime());
    });
  });
}
