import { describe, expect, it } from "vitest";
import { RunCancelledError } from "../errors/run-cancelled-error";
import type { WorkflowContext } from "../workflow/types";
import { createHarness, deferred, leaseMs } from "./engine-test-harness";

describe("executeRun: cancel", () => {
  it("ends a RUNNING run CANCELLED at the next step boundary, keeping the step's output and never calling the next fn", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const calls = { one: 0, two: 0 };
    let signal: AbortSignal | undefined;
    const outcome = await harness.deliver(async (ctx: WorkflowContext) => {
      signal = ctx.signal;
      await ctx.step("one", async () => {
        calls.one += 1;
        await harness.store.cancelRun({ runId, reason: "operator said stop" });
        return "kept";
      });
      await ctx.step("two", () => (calls.two += 1));
      return "finished";
    });
    expect(outcome).toEqual({ status: "CANCELLED" });
    expect(calls).toEqual({ one: 1, two: 0 });
    expect(signal?.aborted).toBe(true);
    expect(RunCancelledError.isInstance(signal?.reason)).toBe(true);
    const run = await harness.getRun(runId);
    expect(run.status).toBe("CANCELLED");
    expect(run.cancelReason).toBe("operator said stop");
    expect(run.cancelRequestedAt).not.toBeNull();
    expect(run.finishedAt).not.toBeNull();
    expect(run.leaseExpiresAt).toBeNull();
    expect(run.output).toBeUndefined();
    expect(run.steps.map((step) => [step.stepId, step.output])).toEqual([["one", "kept"]]);
    expect(await harness.claim()).toBeUndefined();
  });

  it("ends CANCELLED even when the handler catches the step's RunCancelledError and returns", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const outcome = await harness.deliver(async (ctx) => {
      try {
        await ctx.step("one", async () => {
          await harness.store.cancelRun({ runId });
        });
      } catch (error) {
        if (RunCancelledError.isInstance(error)) return "swallowed";
        throw error;
      }
      return "finished";
    });
    expect(outcome).toEqual({ status: "CANCELLED" });
    const run = await harness.getRun(runId);
    expect(run.status).toBe("CANCELLED");
    expect(run.output).toBeUndefined();
  });

  it("stops at a sleep's boundary too, without pausing", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const outcome = await harness.deliver(async (ctx) => {
      await harness.store.cancelRun({ runId });
      await ctx.sleep("nap", 60_000);
    });
    expect(outcome).toEqual({ status: "CANCELLED" });
    const run = await harness.getRun(runId);
    expect(run.status).toBe("CANCELLED");
    expect(run.steps.map((step) => step.stepId)).toEqual(["nap"]);
  });

  it("ends the run CANCELLED when the worker aborts the signal with RunCancelledError", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const worker = new AbortController();
    const started = deferred();
    const never = deferred();
    let fnCalls = 0;
    const delivery = harness.deliver(
      async (ctx) => {
        started.resolve();
        await never.promise;
        await ctx.step("after", () => (fnCalls += 1));
      },
      { signal: worker.signal },
    );
    await started.promise;
    await harness.store.cancelRun({ runId, reason: "heartbeat said so" });
    worker.abort(new RunCancelledError({ runId, reason: "heartbeat said so" }));
    expect(await delivery).toEqual({ status: "CANCELLED" });
    never.resolve();
    await Promise.resolve();
    expect(fnCalls).toBe(0);
    const run = await harness.getRun(runId);
    expect(run.status).toBe("CANCELLED");
    expect(run.cancelReason).toBe("heartbeat said so");
  });

  it("ends a claimed run with a pending cancel at once, without calling the handler", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    expect(await harness.claim()).toBeDefined();
    await harness.store.cancelRun({ runId, reason: "worker died" });
    harness.clock.advance(leaseMs);
    const recovered = await harness.claim();
    if (recovered === undefined) throw new Error("not claimable");
    expect(recovered.cancelRequested).toBe(true);
    let calls = 0;
    expect(await harness.execute(recovered, () => (calls += 1))).toEqual({ status: "CANCELLED" });
    expect(calls).toBe(0);
    expect((await harness.getRun(runId)).status).toBe("CANCELLED");
  });

  it("keeps SUCCESS for a handler that finished before it heard of the cancel", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const outcome = await harness.deliver(async () => {
      await harness.store.cancelRun({ runId });
      return "done anyway";
    });
    expect(outcome).toEqual({ status: "SUCCESS" });
    const run = await harness.getRun(runId);
    expect(run.status).toBe("SUCCESS");
    expect(run.output).toBe("done anyway");
  });

  it("reports LEASE_LOST when the lease is gone before the cancel is acknowledged", async () => {
    const harness = await createHarness();
    const runId = await harness.trigger();
    const stale = await harness.claim();
    if (stale === undefined) throw new Error("not claimable");
    harness.clock.advance(leaseMs);
    await harness.claim();
    const worker = new AbortController();
    worker.abort(new RunCancelledError({ runId }));
    expect(await harness.execute(stale, () => "never", { signal: worker.signal })).toEqual({ status: "LEASE_LOST" });
    expect((await harness.getRun(runId)).status).toBe("RUNNING");
  });
});
