import { describe, expect, it } from "vitest";
import { ConcurrentStepError } from "../errors/concurrent-step-error";
import { ConfigurationError } from "../errors/configuration-error";
import { DuplicateStepError } from "../errors/duplicate-step-error";
import { InvalidNameError } from "../errors/invalid-name-error";
import { Step } from "../step";
import type { WorkflowContext } from "../workflow/types";
import { createHarness, deferred, leaseMs, visibleInMs } from "./engine-test-harness";

const start = Date.parse("2024-01-01T00:00:00.000Z");

describe("executeRun: ctx.sleep", () => {
  it("pauses until the deadline, frees the run, then continues without re-running earlier steps", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const calls = { before: 0, after: 0 };
    const handler = async (ctx: WorkflowContext) => {
      await ctx.step("before", () => (calls.before += 1));
      await ctx.sleep("nap", 60_000);
      await ctx.step("after", () => (calls.after += 1));
      return "woke";
    };

    expect(await harness.deliver(handler)).toEqual({
      status: "PAUSED",
      reason: 'sleeping until 2024-01-01T00:01:00.000Z (ctx.sleep "nap")',
    });
    const paused = await harness.getRun(runId);
    expect(paused.status).toBe("PAUSED");
    expect(paused.leaseExpiresAt).toBeNull();
    expect(visibleInMs(paused, harness.clock)).toBe(60_000);
    expect(paused.steps.map((step) => [step.stepId, step.output])).toEqual([
      ["before", 1],
      ["nap", { sleepUntil: "2024-01-01T00:01:00.000Z" }],
    ]);
    expect(paused.runFailures).toBe(0);

    harness.clock.advance(59_999);
    expect(await harness.claim()).toBeUndefined();
    harness.clock.advance(1);
    expect(await harness.deliver(handler)).toEqual({ status: "SUCCESS" });
    expect(calls).toEqual({ before: 1, after: 1 });
    const run = await harness.getRun(runId);
    expect(run.output).toBe("woke");
    expect(run.attempt).toBe(2);
  });

  it("sleeps until a date", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const until = new Date(start + 90_000);
    const handler = async (ctx: WorkflowContext) => {
      await ctx.sleep("until", { until });
      return "done";
    };
    expect((await harness.deliver(handler)).status).toBe("PAUSED");
    expect((await harness.getRun(runId)).visibleAt?.getTime()).toBe(until.getTime());
    harness.clock.set(until);
    expect(await harness.deliver(handler)).toEqual({ status: "SUCCESS" });
  });

  it("counts time spent earlier in the attempt on the store's clock", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const handler = async (ctx: WorkflowContext) => {
      await ctx.step("slow", () => harness.clock.advance(5_000));
      await ctx.sleep("nap", 1_000);
    };
    expect((await harness.deliver(handler)).status).toBe("PAUSED");
    const run = await harness.getRun(runId);
    expect(run.steps.find((step) => step.stepId === "nap")?.output).toEqual({ sleepUntil: "2024-01-01T00:00:06.000Z" });
    expect(run.visibleAt?.toISOString()).toBe("2024-01-01T00:00:06.000Z");
  });

  it("keeps the original deadline when the sleep is replayed after a crash before the pause was written", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const handler = async (ctx: WorkflowContext) => {
      await ctx.sleep("nap", 60_000);
      return "woke";
    };
    // The worker stores the deadline, then dies before its pause reaches the store.
    const crashingStore = {
      ...harness.store,
      pauseRun: async () => {
        throw new Error("connection lost");
      },
    };
    await expect(harness.deliver(handler, { store: crashingStore })).rejects.toThrow("connection lost");

    harness.clock.advance(leaseMs);
    const recovered = await harness.claim();
    if (recovered === undefined) throw new Error("not claimable");
    expect(recovered.claimedAt.getTime()).toBe(start + leaseMs);
    expect(await harness.execute(recovered, handler)).toEqual({
      status: "PAUSED",
      reason: 'sleeping until 2024-01-01T00:01:00.000Z (ctx.sleep "nap")',
    });
    expect((await harness.getRun(runId)).visibleAt?.getTime()).toBe(start + 60_000);
    harness.clock.set(new Date(start + 60_000));
    expect(await harness.deliver(handler)).toEqual({ status: "SUCCESS" });
  });

  it("pauses again until the stored deadline when resumed early", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    let before = 0;
    const handler = async (ctx: WorkflowContext) => {
      await ctx.step("before", () => (before += 1));
      await ctx.sleep("nap", 60_000);
      return "woke";
    };
    await harness.deliver(handler);
    harness.clock.advance(10_000);
    await harness.store.resumeRun({ runId });
    expect((await harness.deliver(handler)).status).toBe("PAUSED");
    const paused = await harness.getRun(runId);
    expect(paused.status).toBe("PAUSED");
    expect(paused.visibleAt?.getTime()).toBe(start + 60_000);
    expect(before).toBe(1);
  });

  it("does not pause for a sleep of 0 ms or a deadline in the past, and stores both", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const outcome = await harness.deliver(async (ctx) => {
      await ctx.sleep("zero", 0);
      await ctx.sleep("past", { until: new Date(start - 1_000) });
      return "done";
    });
    expect(outcome).toEqual({ status: "SUCCESS" });
    const run = await harness.getRun(runId);
    expect(run.attempt).toBe(1);
    expect(run.steps.map((step) => [step.stepId, step.output])).toEqual([
      ["zero", { sleepUntil: "2024-01-01T00:00:00.000Z" }],
      ["past", { sleepUntil: "2023-12-31T23:59:59.000Z" }],
    ]);
  });

  it("rejects bad arguments with ConfigurationError or InvalidNameError and writes nothing", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const caught: string[] = [];
    const attempt = async (call: () => Promise<unknown>, type: { isInstance(error: unknown): boolean }) => {
      try {
        await call();
        caught.push("no error");
      } catch (error) {
        caught.push(type.isInstance(error) ? (error as Error).name : `unexpected ${String(error)}`);
      }
    };
    const outcome = await harness.deliver(async (ctx) => {
      await attempt(() => ctx.sleep("negative", -1), ConfigurationError);
      await attempt(() => ctx.sleep("nan", Number.NaN), ConfigurationError);
      await attempt(() => ctx.sleep("infinite", Number.POSITIVE_INFINITY), ConfigurationError);
      await attempt(() => ctx.sleep("bad date", { until: new Date("not a date") }), ConfigurationError);
      await attempt(() => ctx.sleep("no until", {} as { until: Date }), ConfigurationError);
      await attempt(() => ctx.sleep("string", "1000" as unknown as number), ConfigurationError);
      await attempt(() => ctx.sleep("", 1_000), InvalidNameError);
      return caught;
    });
    expect(outcome).toEqual({ status: "SUCCESS" });
    expect(caught).toEqual([
      "ConfigurationError",
      "ConfigurationError",
      "ConfigurationError",
      "ConfigurationError",
      "ConfigurationError",
      "ConfigurationError",
      "InvalidNameError",
    ]);
    expect((await harness.getRun(runId)).steps).toEqual([]);
  });

  it("follows the step rules: duplicate ids and concurrent steps are refused", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const gate = deferred();
    const outcome = await harness.deliver(async (ctx) => {
      await ctx.step("a", () => 1);
      const duplicate = await ctx.sleep("a", 0).catch((error: unknown) => error);
      const slow = ctx.step("slow", () => gate.promise);
      const concurrent = await ctx.sleep("b", 0).catch((error: unknown) => error);
      gate.resolve();
      await slow;
      return { duplicate: DuplicateStepError.isInstance(duplicate), concurrent: ConcurrentStepError.isInstance(concurrent) };
    });
    expect(outcome).toEqual({ status: "SUCCESS" });
    expect((await harness.getRun(runId)).output).toEqual({ duplicate: true, concurrent: true });
  });

  it("fails the run permanently when a step's stored output sits under the sleep's id (the code changed)", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    let paused = false;
    await harness.deliver(async (ctx) => {
      await ctx.step("x", () => 1);
      await ctx.step("gate", () => {
        if (!paused) throw Step.pause(1_000);
      });
    });
    paused = true;
    harness.clock.advance(1_000);
    const outcome = await harness.deliver(async (ctx) => {
      await ctx.sleep("x", 1_000);
    });
    expect(outcome.status).toBe("ERROR");
    const run = await harness.getRun(runId);
    expect(run.status).toBe("ERROR");
    expect(run.error?.code).toBe("PERMANENT");
    expect(run.error?.stepId).toBe("x");
    expect(run.error?.message).toMatch(/step "x" of run \d+ has a stored output that is not a ctx.sleep deadline/);
  });
});
