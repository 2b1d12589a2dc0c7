import { describe, expect, it } from "vitest";
import { z } from "zod";
import { LeaseLostError } from "../errors/lease-lost-error";
import { WorkerStoppingError } from "../errors/worker-stopping-error";
import { Step } from "../step";
import type { WorkflowContext } from "../workflow/types";
import { createHarness, deferred, leaseMs, visibleInMs } from "./engine-test-harness";

describe("executeRun: pause", () => {
  it("pauses, then resumes at the pause's end without re-running completed steps", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const calls = { before: 0, approval: 0 };
    let approved = false;
    const handler = async (ctx: WorkflowContext) => {
      await ctx.step("before", () => {
        calls.before += 1;
        return "prepared";
      });
      const decision = await ctx.step("approval", () => {
        calls.approval += 1;
        if (!approved) throw Step.pause(3_600_000, { reason: "waiting for approval" });
        return "approved";
      });
      return { decision, attempt: ctx.attempt };
    };

    expect(await harness.deliver(handler)).toEqual({ status: "PAUSED", reason: "waiting for approval" });
    const paused = await harness.getRun(runId);
    expect(paused.status).toBe("PAUSED");
    expect(paused.pauseReason).toBe("waiting for approval");
    expect(visibleInMs(paused, harness.clock)).toBe(3_600_000);
    expect(paused.runFailures).toBe(0);
    expect(paused.stepFailures).toEqual({});

    harness.clock.advance(3_599_999);
    expect(await harness.claim()).toBeUndefined();
    harness.clock.advance(1);
    approved = true;
    const resumed = await harness.claim();
    expect(resumed?.resumedFromPause).toBe(true);
    if (resumed === undefined) throw new Error("not claimable");
    expect(await harness.execute(resumed, handler)).toEqual({ status: "SUCCESS" });
    expect(calls).toEqual({ before: 1, approval: 2 });
    const run = await harness.getRun(runId);
    expect(run.output).toEqual({ decision: "approved", attempt: 2 });
    expect(run.runFailures).toBe(0);
  });

  it("pauses until a date", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const until = new Date(harness.clock.now() + 90_000);
    const outcome = await harness.deliver(async (ctx) =>
      ctx.step("wait", () => {
        throw Step.pause({ until });
      }),
    );
    expect(outcome).toEqual({ status: "PAUSED", reason: undefined });
    expect((await harness.getRun(runId)).visibleAt?.getTime()).toBe(until.getTime());
  });
});

describe("executeRun: crashes and leases", () => {
  it("re-runs fn after a crash between fn and the write, keeping one stored output; the zombie changes nothing", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    let fnCalls = 0;
    const handler = async (ctx: WorkflowContext) => {
      const value = await ctx.step("work", () => {
        fnCalls += 1;
        return { call: fnCalls };
      });
      return value;
    };
    // The first worker finishes fn, then hangs before its write reaches the store (as if it died).
    const gate = deferred();
    const zombieStore = {
      ...harness.store,
      saveStep: async (args: Parameters<typeof harness.store.saveStep>[0]) => {
        await gate.promise;
        return harness.store.saveStep(args);
      },
    };
    const zombie = harness.deliver(handler, { store: zombieStore });
    await new Promise((resolve) => setImmediate(resolve));
    expect(fnCalls).toBe(1);

    harness.clock.advance(leaseMs);
    const recovered = await harness.claim();
    expect(recovered?.attempt).toBe(2);
    expect(recovered?.runFailures).toBe(1);
    if (recovered === undefined) throw new Error("not claimable");
    expect(await harness.execute(recovered, handler)).toEqual({ status: "SUCCESS" });
    expect(fnCalls).toBe(2);

    gate.resolve();
    expect(await zombie).toEqual({ status: "LEASE_LOST" });
    const run = await harness.getRun(runId);
    expect(run.status).toBe("SUCCESS");
    expect(run.output).toEqual({ call: 2 });
    expect(run.steps.map((step) => [step.stepId, step.output])).toEqual([["work", { call: 2 }]]);
  });

  it("writes nothing with a stale lease token and aborts ctx.signal", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const stale = await harness.claim();
    if (stale === undefined) throw new Error("not claimable");
    harness.clock.advance(leaseMs);
    const current = await harness.claim();
    const before = await harness.getRun(runId);

    let signal: AbortSignal | undefined;
    let swallowed: unknown;
    const outcome = await harness.execute(stale, async (ctx) => {
      signal = ctx.signal;
      try {
        await ctx.step("late", () => "zombie output");
      } catch (error) {
        // A handler that swallows the refusal still must not write anything.
        swallowed = error;
      }
      return "zombie result";
    });
    expect(outcome).toEqual({ status: "LEASE_LOST" });
    expect(LeaseLostError.isInstance(swallowed)).toBe(true);
    expect(signal?.aborted).toBe(true);
    expect(LeaseLostError.isInstance(signal?.reason)).toBe(true);
    const after = await harness.getRun(runId);
    expect(after).toEqual(before);
    expect(after.status).toBe("RUNNING");
    expect(after.attempt).toBe(current?.attempt);
  });

  it("ends ERROR when crashes use up maxAttempts, without calling the handler", async () => {
    const harness = await createHarness({ retry: { maxAttempts: 2 } });
    const runId = await harness.trigger();
    await harness.claim();
    harness.clock.advance(leaseMs);
    await harness.claim();
    harness.clock.advance(leaseMs);
    let called = false;
    const outcome = await harness.deliver(() => {
      called = true;
    });
    expect(called).toBe(false);
    expect(outcome.status).toBe("ERROR");
    const run = await harness.getRun(runId);
    expect(run.status).toBe("ERROR");
    expect(run.runFailures).toBe(2);
    expect(run.error).toMatchObject({ name: "LeaseExpiredError", code: "LEASE_EXPIRED", attempt: 3 });
    expect(run.error?.message).toMatch(/stopped without finishing run .* \(its lease expired\); that makes 2 failures/);
  });

  it("counts a crash and a failure outside steps together on the run", async () => {
    const harness = await createHarness({ retry: { maxAttempts: 2 } });
    const runId = await harness.trigger();
    await harness.claim();
    harness.clock.advance(leaseMs);
    const outcome = await harness.deliver(() => {
      throw new Error("after a crash");
    });
    expect(outcome.status).toBe("ERROR");
    expect((await harness.getRun(runId)).error).toMatchObject({ message: "after a crash", attempt: 2 });
  });

  it("stops at once and writes nothing when the worker reports the lease lost", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const controller = new AbortController();
    const started = deferred();
    const outcome = harness.deliver(
      async (ctx) => {
        started.resolve();
        await new Promise(() => undefined);
        return ctx.runId;
      },
      { signal: controller.signal },
    );
    await started.promise;
    const before = await harness.getRun(runId);
    controller.abort(new LeaseLostError({ runId }));
    expect(await outcome).toEqual({ status: "LEASE_LOST" });
    expect(await harness.getRun(runId)).toEqual(before);
  });
});

describe("executeRun: shutdown", () => {
  it("releases the run when the worker stops before the handler settles", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const controller = new AbortController();
    const stuck = deferred();
    let signal: AbortSignal | undefined;
    let lateError: unknown;
    let lateCalled = false;
    const outcome = harness.deliver(
      async (ctx) => {
        signal = ctx.signal;
        await ctx.step("done_before", () => 1);
        await stuck.promise;
        await ctx.step("after_stop", () => {
          lateCalled = true;
          return 2;
        }).catch((error: unknown) => {
          lateError = error;
        });
      },
      { signal: controller.signal },
    );
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new WorkerStoppingError());
    expect(await outcome).toEqual({ status: "RELEASED" });
    expect(signal?.aborted).toBe(true);
    const run = await harness.getRun(runId);
    expect(run.status).toBe("QUEUED");
    expect(visibleInMs(run, harness.clock)).toBe(0);
    expect(run.runFailures).toBe(0);
    expect(run.error).toBeNull();

    // The abandoned handler carries on: its next step is refused and writes nothing.
    stuck.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(lateCalled).toBe(false);
    expect(WorkerStoppingError.isInstance(lateError)).toBe(true);
    expect((await harness.getRun(runId)).steps.map((step) => step.stepId)).toEqual(["done_before"]);
    expect((await harness.claim())?.attempt).toBe(2);
  });

  it("does not write the output of a step whose fn finishes after the stop", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const controller = new AbortController();
    const slow = deferred<string>();
    let saveCalls = 0;
    const countingStore = {
      ...harness.store,
      saveStep: (args: Parameters<typeof harness.store.saveStep>[0]) => {
        saveCalls += 1;
        return harness.store.saveStep(args);
      },
    };
    const outcome = harness.deliver(async (ctx) => ctx.step("slow", () => slow.promise), { signal: controller.signal, store: countingStore });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new WorkerStoppingError());
    expect(await outcome).toEqual({ status: "RELEASED" });
    slow.resolve("late");
    await new Promise((resolve) => setImmediate(resolve));
    expect(saveCalls).toBe(0);
    expect((await harness.getRun(runId)).steps).toEqual([]);
  });

  it("releases at once when the signal is already aborted", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    let called = false;
    const outcome = await harness.deliver(
      () => {
        called = true;
      },
      { signal: AbortSignal.abort(new WorkerStoppingError()) },
    );
    expect(outcome).toEqual({ status: "RELEASED" });
    expect(called).toBe(false);
    expect((await harness.getRun(runId)).status).toBe("QUEUED");
  });

  it("finishes normally when the handler settled before the stop", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const controller = new AbortController();
    const outcome = await harness.deliver(
      () => {
        controller.abort(new WorkerStoppingError());
        return "finished";
      },
      { signal: controller.signal },
    );
    expect(outcome).toEqual({ status: "SUCCESS" });
    expect((await harness.getRun(runId)).output).toBe("finished");
  });

  it("finishes normally when an async handler resolved in the same turn as the stop", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const controller = new AbortController();
    const outcome = await harness.deliver(
      async (ctx) => {
        await ctx.step("a", () => 1);
        controller.abort(new WorkerStoppingError());
        return "finished";
      },
      { signal: controller.signal },
    );
    expect(outcome).toEqual({ status: "SUCCESS" });
    expect((await harness.getRun(runId)).status).toBe("SUCCESS");
  });
});

describe("executeRun: schemas", () => {
  const input = z.object({ count: z.coerce.number().int(), label: z.string().default("none") });
  const output = z.object({ doubled: z.number() });

  it("hands the handler the input schema's output", async () => {
    const harness = await createHarness({ input, output });
    const runId = await harness.trigger({ count: "21" });
    const outcome = await harness.deliver((_ctx, params) => {
      expect(params).toEqual({ count: 21, label: "none" });
      return { doubled: (params as { count: number }).count * 2 };
    });
    expect(outcome).toEqual({ status: "SUCCESS" });
    expect((await harness.getRun(runId)).output).toEqual({ doubled: 42 });
  });

  it("ends ERROR when the input fails the schema, before the handler runs", async () => {
    const harness = await createHarness({ input });
    const runId = await harness.trigger({ count: "many" });
    let called = false;
    const outcome = await harness.deliver(() => {
      called = true;
    });
    expect(outcome.status).toBe("ERROR");
    expect(called).toBe(false);
    const run = await harness.getRun(runId);
    expect(run.error).toMatchObject({ name: "InvalidInputError", code: "INVALID_INPUT" });
    expect(run.error?.message).toMatch(/^params for workflow "engine_test" fail its input schema: count: /);
  });

  it("ends ERROR when the output fails the schema", async () => {
    const harness = await createHarness({ output });
    const runId = await harness.trigger();
    const outcome = await harness.deliver(() => ({ doubled: "two" }));
    expect(outcome.status).toBe("ERROR");
    const run = await harness.getRun(runId);
    expect(run.status).toBe("ERROR");
    expect(run.output).toBeUndefined();
    expect(run.error).toMatchObject({ name: "InvalidOutputError", code: "INVALID_OUTPUT" });
    expect(run.error?.message).toMatch(/doubled: /);
  });
});

describe("executeRun: steps after the attempt", () => {
  it("refuses a step called after the handler returned with PermanentError, and writes nothing", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    let late: Promise<unknown> | undefined;
    let ran = false;
    const outcome = await harness.deliver(async (ctx) => {
      const context = ctx;
      // Left running by a handler that does not await it: called only once the attempt has ended.
      late = Promise.resolve().then(async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return context.step("late", () => {
          ran = true;
          return 1;
        });
      });
      return "done";
    });
    expect(outcome).toEqual({ status: "SUCCESS" });
    await expect(late).rejects.toThrow(/this attempt of the run is over; a step called after the handler settled was not run/);
    await expect(late).rejects.toMatchObject({ name: "PermanentError" });
    expect(ran).toBe(false);
    expect((await harness.getRun(runId)).steps).toEqual([]);
  });
});
