/** `cancel()` end to end: a QUEUED, a PAUSED and a RUNNING run end CANCELLED, and `result()` says so. */
import { run, workflow } from "@pgqrs/client";
import { defineWorkflow, InvalidRunStateError, RunCancelledError, type WorkflowContext } from "@pgqrs/core";
import { describe, expect, it } from "vitest";
import { deferred, uniqueName, waitForRun, waitForStatus } from "./harness";
import type { EndToEndContext } from "./suite";

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

export function describeCancellation(context: EndToEndContext): void {
  const created = async (prefix: string) => {
    const definition = defineWorkflow({ name: uniqueName(prefix) });
    await context.store().createWorkflow({ name: definition.name });
    return definition;
  };

  describe("cancel()", () => {
    it("a QUEUED run ends CANCELLED at once and its handler never runs", async () => {
      const store = context.store();
      const definition = await created("cancel_queued");
      const handled: string[] = [];
      const doomed = await workflow(definition).trigger({ n: 1 }).execute(store);
      const info = await run().status(doomed).store(store).cancel({ reason: "ordered twice" });
      expect(info).toMatchObject({ status: "CANCELLED", cancelReason: "ordered twice", attempt: 0 });
      expect(Date.parse(info.finishedAt ?? "")).toBe(Date.parse(info.cancelRequestedAt ?? ""));

      const kept = await workflow(definition).trigger({ n: 2 }).execute(store);
      await context.workers.start({ store, definition, handler: async (ctx: WorkflowContext) => void handled.push(ctx.runId) });
      // The worker ran the run triggered after the cancelled one; the cancelled one was never claimed.
      await run().status(kept).store(store).result({ timeoutMs: 10_000 });
      expect(handled).toEqual([kept.runId]);
      const error = await rejection(run().status(doomed).store(store).result({ timeoutMs: 10_000 }));
      expect(RunCancelledError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ runId: doomed.runId, reason: "ordered twice" });
      // Cancelling again returns the run unchanged.
      expect(await run().status(doomed).store(store).cancel({ reason: "again" })).toEqual(info);
    });

    it("a PAUSED run ends CANCELLED at once; its later steps never run and events are refused", async () => {
      const store = context.store();
      const definition = await created("cancel_paused");
      const ran: string[] = [];
      const message = await workflow(definition).trigger({}).execute(store);
      await context.workers.start({
        store,
        definition,
        handler: async (ctx: WorkflowContext) => {
          await ctx.step("draft", () => void ran.push("draft"));
          await ctx.waitForEvent("approval", "approved");
          await ctx.step("ship", () => void ran.push("ship"));
        },
      });
      await waitForStatus(store, message.runId, "PAUSED");
      const handle = run().status(message).store(store);
      const info = await handle.cancel({ reason: "rejected by finance" });
      expect(info).toMatchObject({ status: "CANCELLED", cancelReason: "rejected by finance" });
      expect(info.steps.map((step) => step.id)).toEqual(["draft", "approval"]);
      expect(info).not.toHaveProperty("visibleAt");

      const error = await rejection(handle.result({ timeoutMs: 10_000 }));
      expect(RunCancelledError.isInstance(error)).toBe(true);
      expect(InvalidRunStateError.isInstance(await rejection(handle.sendEvent("approved", true)))).toBe(true);
      expect(ran).toEqual(["draft"]);
      expect((await handle.get()).status).toBe("CANCELLED");
    });

    it("a RUNNING run sees ctx.signal abort, ends CANCELLED at its step boundary, and its next step never runs", async () => {
      const store = context.store();
      const definition = await created("cancel_running");
      const entered = deferred();
      const ran: string[] = [];
      const reasons: unknown[] = [];
      const message = await workflow(definition).trigger({}).execute(store);
      await context.workers.start({
        store,
        definition,
        // A short lease: the heartbeat, which carries the cancel request, beats every 100 ms.
        leaseMs: 300,
        handler: async (ctx: WorkflowContext) => {
          await ctx.step("long", async () => {
            ran.push("long");
            entered.resolve();
            await new Promise((_, reject) => {
              ctx.signal.addEventListener("abort", () => {
                reasons.push(ctx.signal.reason);
                reject(ctx.signal.reason as Error);
              });
            });
          });
          await ctx.step("next", () => void ran.push("next"));
          return "not cancelled";
        },
      });
      await entered.promise;
      const handle = run().status(message).store(store);
      const requested = await handle.cancel({ reason: "operator stop" });
      expect(requested.status).toBe("RUNNING");
      expect(requested.cancelRequestedAt).toEqual(expect.any(String));

      const error = await rejection(handle.result({ timeoutMs: 10_000 }));
      expect(RunCancelledError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ runId: message.runId, reason: "operator stop" });
      expect(reasons).toHaveLength(1);
      expect(RunCancelledError.isInstance(reasons[0])).toBe(true);
      expect(ran).toEqual(["long"]);
      const info = await waitForRun({ store, runId: message.runId, accept: (run) => run.status === "CANCELLED" });
      expect(info).toMatchObject({ cancelReason: "operator stop", attempt: 1, steps: [] });
      expect(info).not.toHaveProperty("output");
    });
  });
}
