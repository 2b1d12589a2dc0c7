/** `ctx.waitForEvent` and `sendEvent` end to end: an approval from another process, an early event, a timeout. */
import { run, workflow, type SentEvent } from "@pgqrs/client";
import { defineWorkflow, EventTimeoutError, InvalidRunStateError, type WorkflowContext } from "@pgqrs/core";
import { describe, expect, it } from "vitest";
import { uniqueName, waitForRun } from "./harness";
import { runScriptProcess } from "./processes";
import type { EndToEndContext } from "./suite";

interface Approval {
  by: string;
}

/** Counts how often each step's function really ran. */
function createCounter() {
  const counts = new Map<string, number>();
  return {
    hit: (id: string) => counts.set(id, (counts.get(id) ?? 0) + 1).get(id) ?? 0,
    of: (id: string) => counts.get(id) ?? 0,
  };
}

export function describeEvents(context: EndToEndContext): void {
  const approvalWorkflow = async (prefix: string) => {
    const definition = defineWorkflow({ name: uniqueName(prefix), retry: { maxAttempts: 1 } });
    await context.store().createWorkflow({ name: definition.name });
    return definition;
  };

  describe("ctx.waitForEvent and sendEvent", () => {
    it.skipIf(context.kind !== "postgres")(
      "an approval sent about a second later by another process wakes the waiting run",
      async () => {
        const store = context.store();
        const definition = await approvalWorkflow("approval");
        const counter = createCounter();
        let resumedAt: number | undefined;
        const message = await workflow(definition).trigger({ order: 42 }).execute(store);
        await context.workers.start({
          store,
          definition,
          // A poll of a minute: only the event's notification can wake the worker in time.
          pollIntervalMs: 60_000,
          handler: async (ctx: WorkflowContext) => {
            await ctx.step("draft", () => counter.hit("draft"));
            const approval = await ctx.waitForEvent<Approval>("approval", "approved", { timeoutMs: 60_000 });
            await ctx.step("ship", () => {
              resumedAt = Date.now();
              counter.hit("ship");
            });
            return { approvedBy: approval.by };
          },
        });
        const waiting = await waitForRun({ store, runId: message.runId, accept: (info) => info.status === "PAUSED" });
        expect(waiting.pauseReason).toContain("approved");
        const waitingSince = Date.now();

        const url = context.url();
        if (url === undefined) throw new Error("the postgres store has no URL");
        const sent = await runScriptProcess<SentEvent>("./send-event-process.ts", {
          DATABASE_URL: url,
          RUN_ID: message.runId,
          EVENT_NAME: "approved",
          PAYLOAD: JSON.stringify({ by: "alice" }),
          DELAY_MS: "1000",
        });
        expect(sent.pid).not.toBe(process.pid);
        expect(sent).toMatchObject({ created: true, payload: { by: "alice" } });
        expect(Date.parse(sent.sentAt) - waitingSince).toBeGreaterThanOrEqual(1_000);

        await expect(run().status(message).store(store).result({ timeoutMs: 10_000 })).resolves.toEqual({ approvedBy: "alice" });
        expect(counter.of("draft")).toBe(1);
        expect(counter.of("ship")).toBe(1);
        expect((resumedAt ?? 0) - Date.parse(sent.sentAt)).toBeGreaterThanOrEqual(0);
        const info = await run().status(message).store(store).get();
        expect(info).toMatchObject({ status: "SUCCESS", attempt: 2 });
        expect(info.steps.map((step) => step.id)).toEqual(["draft", "approval", "ship"]);
      },
      30_000,
    );

    it("an event sent before the run waits is delivered when it does, and the first payload wins", async () => {
      const store = context.store();
      const definition = await approvalWorkflow("early");
      const message = await workflow(definition).trigger({}).execute(store);
      const handle = run().status(message).store(store);
      const first = await handle.sendEvent("approved", { by: "bob" });
      const second = await handle.sendEvent("approved", { by: "eve" });
      expect(first).toMatchObject({ created: true, payload: { by: "bob" } });
      expect(second).toEqual({ ...first, created: false });

      await context.workers.start({
        store,
        definition,
        handler: async (ctx: WorkflowContext) => ({ approvedBy: (await ctx.waitForEvent<Approval>("approval", "approved")).by }),
      });
      await expect(handle.result({ timeoutMs: 10_000 })).resolves.toEqual({ approvedBy: "bob" });
      // The event was there when the wait began: the run never paused.
      expect(await handle.get()).toMatchObject({ status: "SUCCESS", attempt: 1 });
    });

    it("a wait that times out throws EventTimeoutError, which the handler catches to take another path", async () => {
      const store = context.store();
      const definition = await approvalWorkflow("timeout");
      const caught: unknown[] = [];
      const message = await workflow(definition).trigger({}).execute(store);
      await context.workers.start({
        store,
        definition,
        handler: async (ctx: WorkflowContext) => {
          try {
            const approval = await ctx.waitForEvent<Approval>("approval", "approved", { timeoutMs: 300 });
            return { approvedBy: approval.by, escalated: false };
          } catch (error) {
            if (!EventTimeoutError.isInstance(error)) throw error;
            caught.push(error);
            return { approvedBy: await ctx.step("escalate", () => "the manager"), escalated: true };
          }
        },
      });
      const handle = run().status(message).store(store);
      await expect(handle.result({ timeoutMs: 10_000 })).resolves.toEqual({ approvedBy: "the manager", escalated: true });
      expect(caught).toHaveLength(1);
      expect(caught[0]).toMatchObject({ runId: message.runId, stepId: "approval", eventName: "approved", timeoutMs: 300 });
      const info = await handle.get();
      const waitedMs = Date.parse(info.steps.find((step) => step.id === "escalate")?.completedAt ?? "") - Date.parse(info.createdAt);
      expect(waitedMs).toBeGreaterThanOrEqual(300);
      // Too late: the run is final, and nothing could receive the event any more.
      await expect(handle.sendEvent("approved", { by: "late" })).rejects.toSatisfy((error) => InvalidRunStateError.isInstance(error));
    });
  });
}
