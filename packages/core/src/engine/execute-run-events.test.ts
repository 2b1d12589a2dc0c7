import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors/configuration-error";
import { EventTimeoutError } from "../errors/event-timeout-error";
import { InvalidNameError } from "../errors/invalid-name-error";
import { Step } from "../step";
import type { StoreEvent } from "../storage/types";
import type { WorkflowContext } from "../workflow/types";
import { createHarness, visibleInMs } from "./engine-test-harness";

const start = Date.parse("2024-01-01T00:00:00.000Z");

describe("executeRun: ctx.waitForEvent", () => {
  it("returns an event sent before the wait at once, without pausing", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const sent = await harness.store.sendEvent({ runId, name: "approved", payload: { by: "ada" } });
    expect(sent.created).toBe(true);
    const outcome = await harness.deliver(async (ctx) => ({ decision: await ctx.waitForEvent("approval", "approved") }));
    expect(outcome).toEqual({ status: "SUCCESS" });
    const run = await harness.getRun(runId);
    expect(run.attempt).toBe(1);
    expect(run.output).toEqual({ decision: { by: "ada" } });
    expect(run.steps.map((step) => [step.stepId, step.output])).toEqual([["approval", { waitingFor: "approved", until: null }]]);
  });

  it("pauses until the event is sent, wakes at once when it is, and returns its payload", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    let before = 0;
    const handler = async (ctx: WorkflowContext) => {
      await ctx.step("before", () => (before += 1));
      const payload = await ctx.waitForEvent<{ approved: boolean }>("approval", "approved");
      return payload.approved ? "approved" : "rejected";
    };
    expect(await harness.deliver(handler)).toEqual({
      status: "PAUSED",
      reason: 'waiting for event "approved" (ctx.waitForEvent "approval")',
    });
    const paused = await harness.getRun(runId);
    expect(paused.status).toBe("PAUSED");
    expect(paused.visibleAt?.toISOString()).toBe("9999-12-31T00:00:00.000Z");
    harness.clock.advance(3_600_000);
    expect(await harness.claim()).toBeUndefined();

    const events: StoreEvent[] = [];
    await harness.store.subscribe({ onEvent: (event) => events.push(event) });
    await harness.store.sendEvent({ runId, name: "approved", payload: { approved: true } });
    await Promise.resolve();
    expect(events).toContainEqual({ type: "enqueued", workflow: harness.workflow.name });
    expect(visibleInMs(await harness.getRun(runId), harness.clock)).toBe(0);

    expect(await harness.deliver(handler)).toEqual({ status: "SUCCESS" });
    expect(before).toBe(1);
    expect((await harness.getRun(runId)).output).toBe("approved");
  });

  it("does not lose an event sent between the engine's read and its pause", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const racingStore = {
      ...harness.store,
      getEvent: async (args: { runId: string; name: string }) => {
        const event = await harness.store.getEvent(args);
        await harness.store.sendEvent({ runId: args.runId, name: args.name, payload: "late but kept" });
        return event;
      },
    };
    const handler = async (ctx: WorkflowContext) => ctx.waitForEvent("wait", "go");
    expect((await harness.deliver(handler, { store: racingStore })).status).toBe("PAUSED");
    expect(visibleInMs(await harness.getRun(runId), harness.clock)).toBe(0);
    expect(await harness.deliver(handler)).toEqual({ status: "SUCCESS" });
    expect((await harness.getRun(runId)).output).toBe("late but kept");
  });

  it("throws EventTimeoutError after the timeout, which the handler can catch", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const handler = async (ctx: WorkflowContext) => {
      try {
        return await ctx.waitForEvent("approval", "approved", { timeoutMs: 5_000 });
      } catch (error) {
        if (EventTimeoutError.isInstance(error)) return { timedOut: error.eventName, stepId: error.stepId, timeoutMs: error.timeoutMs };
        throw error;
      }
    };
    expect((await harness.deliver(handler)).status).toBe("PAUSED");
    const paused = await harness.getRun(runId);
    expect(visibleInMs(paused, harness.clock)).toBe(5_000);
    expect(paused.steps[0]?.output).toEqual({ waitingFor: "approved", until: "2024-01-01T00:00:05.000Z" });

    harness.clock.advance(5_000);
    expect(await harness.deliver(handler)).toEqual({ status: "SUCCESS" });
    expect((await harness.getRun(runId)).output).toEqual({ timedOut: "approved", stepId: "approval", timeoutMs: 5_000 });
  });

  it("ends the run ERROR at once when the timeout is not caught", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const handler = async (ctx: WorkflowContext) => ctx.waitForEvent("approval", "approved", { timeoutMs: 1_000 });
    await harness.deliver(handler);
    harness.clock.advance(1_000);
    const outcome = await harness.deliver(handler);
    expect(outcome.status).toBe("ERROR");
    const run = await harness.getRun(runId);
    expect(run.status).toBe("ERROR");
    expect(run.error).toMatchObject({ name: "EventTimeoutError", code: "EVENT_TIMEOUT", stepId: "approval", attempt: 2 });
    expect(run.stepFailures).toEqual({});
  });

  it("returns an event sent before the timeout even when the run is delivered after it", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const handler = async (ctx: WorkflowContext) => ctx.waitForEvent("approval", "approved", { timeoutMs: 5_000 });
    await harness.deliver(handler);
    harness.clock.advance(5_000);
    await harness.store.sendEvent({ runId, name: "approved", payload: "just in time" });
    harness.clock.advance(60_000);
    expect(await harness.deliver(handler)).toEqual({ status: "SUCCESS" });
    expect((await harness.getRun(runId)).output).toBe("just in time");
  });

  it("keeps a timed-out wait timed out on replay, even after a late event", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    let open = false;
    const handler = async (ctx: WorkflowContext) => {
      let decision: unknown;
      try {
        decision = await ctx.waitForEvent("approval", "approved", { timeoutMs: 5_000 });
      } catch (error) {
        if (!EventTimeoutError.isInstance(error)) throw error;
        decision = "timed out";
      }
      await ctx.step("gate", () => {
        if (!open) throw Step.pause(1_000);
      });
      return decision;
    };
    await harness.deliver(handler);
    harness.clock.advance(5_000);
    expect(await harness.deliver(handler)).toEqual({ status: "PAUSED", reason: undefined });
    harness.clock.advance(1);
    const late = await harness.store.sendEvent({ runId, name: "approved", payload: "too late" });
    expect(late.event.sentAt.getTime()).toBe(start + 5_001);
    harness.clock.advance(1_000);
    open = true;
    expect(await harness.deliver(handler)).toEqual({ status: "SUCCESS" });
    expect((await harness.getRun(runId)).output).toBe("timed out");
  });

  it("delivers the first payload when the event is sent twice", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const first = await harness.store.sendEvent({ runId, name: "approved", payload: 1 });
    const second = await harness.store.sendEvent({ runId, name: "approved", payload: 2 });
    expect(second).toEqual({ event: first.event, created: false });
    await harness.deliver(async (ctx) => ctx.waitForEvent("wait", "approved"));
    expect((await harness.getRun(runId)).output).toBe(1);
  });

  it("rejects bad arguments with InvalidNameError or ConfigurationError and writes nothing", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const outcome = await harness.deliver(async (ctx) => {
      const names: string[] = [];
      const calls: (() => Promise<unknown>)[] = [
        () => ctx.waitForEvent("w1", "bad name!"),
        () => ctx.waitForEvent("w2", "" as string),
        () => ctx.waitForEvent("", "ok"),
        () => ctx.waitForEvent("w3", "ok", { timeoutMs: -1 }),
        () => ctx.waitForEvent("w4", "ok", { timeoutMs: Number.NaN }),
        () => ctx.waitForEvent("w5", "ok", { timeoutMs: "5" as unknown as number }),
        () => ctx.waitForEvent("w6", "ok", 5 as unknown as { timeoutMs: number }),
      ];
      for (const call of calls) {
        const error = await call().then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
        names.push(
          InvalidNameError.isInstance(error) ? "InvalidNameError" : ConfigurationError.isInstance(error) ? "ConfigurationError" : String(error),
        );
      }
      return names;
    });
    expect(outcome).toEqual({ status: "SUCCESS" });
    const run = await harness.getRun(runId);
    expect(run.output).toEqual([
      "InvalidNameError",
      "InvalidNameError",
      "InvalidNameError",
      "ConfigurationError",
      "ConfigurationError",
      "ConfigurationError",
      "ConfigurationError",
    ]);
    expect(run.steps).toEqual([]);
  });

  it("fails the run permanently when the stored wait was for another event (the code changed)", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    await harness.deliver(async (ctx) => ctx.waitForEvent("wait", "approved"));
    await harness.store.resumeRun({ runId });
    const outcome = await harness.deliver(async (ctx) => ctx.waitForEvent("wait", "rejected"));
    expect(outcome.status).toBe("ERROR");
    const run = await harness.getRun(runId);
    expect(run.error?.code).toBe("PERMANENT");
    expect(run.error?.message).toMatch(/waited for event "approved", but the code now waits for "rejected"/);
  });
});
