/** Operator pause end to end: a paused workflow's runs wait while another workflow's flow, then resume. */
import { run, workflow } from "@pgqrs/client";
import { defineWorkflow, type WorkflowContext } from "@pgqrs/core";
import type { WorkflowStore } from "@pgqrs/core/storage";
import { describe, expect, it, vi } from "vitest";
import { uniqueName } from "./harness";
import type { EndToEndContext } from "./suite";

/** The store as a worker sees it, counting how many runs each of its claims returned. */
function countingClaims(store: WorkflowStore): { store: WorkflowStore; claims: number[] } {
  const claims: number[] = [];
  return {
    claims,
    store: {
      ...store,
      claimRuns: async (args) => {
        const claimed = await store.claimRuns(args);
        claims.push(claimed.length);
        return claimed;
      },
    },
  };
}

export function describeWorkflowPause(context: EndToEndContext): void {
  describe("pauseWorkflow / resumeWorkflow", () => {
    it("a paused workflow's runs wait while another workflow's runs flow, and finish after resumeWorkflow", async () => {
      const store = context.store();
      const paused = defineWorkflow({ name: uniqueName("paused") });
      const flowing = defineWorkflow({ name: uniqueName("flowing") });
      await store.createWorkflow({ name: paused.name });
      await store.createWorkflow({ name: flowing.name });
      const record = await store.pauseWorkflow({ name: paused.name });
      expect(record.pausedAt).toBeInstanceOf(Date);

      const handler = async (ctx: WorkflowContext, params: unknown) => ctx.step("work", () => params);
      const waiting = await Promise.all([1, 2, 3].map((n) => workflow(paused).trigger({ n }).execute(store)));
      const moving = await Promise.all([1, 2, 3].map((n) => workflow(flowing).trigger({ n }).execute(store)));
      const pausedWorker = countingClaims(store);
      await context.workers.start({ store: pausedWorker.store, definition: paused, handler });
      await context.workers.start({ store, definition: flowing, handler });

      for (const [index, message] of moving.entries()) {
        await expect(run().status(message).store(store).result({ timeoutMs: 10_000 })).resolves.toEqual({ n: index + 1 });
      }
      // The paused workflow's worker kept polling (at 50 ms) and found nothing to claim, several times over.
      await vi.waitFor(() => expect(pausedWorker.claims.length).toBeGreaterThanOrEqual(3), { timeout: 10_000, interval: 20 });
      expect(pausedWorker.claims.every((count) => count === 0)).toBe(true);
      for (const message of waiting) {
        expect(await run().status(message).store(store).get()).toMatchObject({ status: "QUEUED", attempt: 0 });
      }

      const resumed = await store.resumeWorkflow({ name: paused.name });
      expect(resumed.pausedAt).toBeNull();
      for (const [index, message] of waiting.entries()) {
        await expect(run().status(message).store(store).result({ timeoutMs: 10_000 })).resolves.toEqual({ n: index + 1 });
      }
      expect(pausedWorker.claims.reduce((sum, count) => sum + count, 0)).toBe(3);
    });
  });
}
