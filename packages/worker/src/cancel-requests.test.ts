import { RunCancelledError } from "@pgqrs/core";
import { createFakeClock, createMemoryStore } from "@pgqrs/core/testing";
import { describe, expect, it, vi } from "vitest";
import { deferred, get, patience, quietLogger, recordingLogger, spyStore, trackWorkers, waitForStatus } from "../test/support/harness";
import { consumer } from "./index";

const track = trackWorkers();
const workflow = "jobs";

async function setup(options: { failures?: NonNullable<Parameters<typeof spyStore>[1]>["failures"] } = {}) {
  const memory = createMemoryStore({ clock: createFakeClock() });
  await memory.createWorkflow({ name: workflow });
  const spy = spyStore(memory, options.failures === undefined ? {} : { failures: options.failures });
  const { message } = await memory.enqueue({ workflow, input: {} });
  const reasonReads = () => spy.calls.filter((call) => call.method === "getRun").length;
  return { memory, ...spy, runId: message.runId, reasonReads };
}

/** Steps that really ran, in order. */
function createRecorder() {
  const ran: string[] = [];
  return { ran, hit: (id: string) => void ran.push(id) };
}

describe("cancelling a RUNNING run", () => {
  it("aborts ctx.signal with RunCancelledError carrying the reason; the run ends CANCELLED and its next step never runs", async () => {
    const { memory, store, runId, reasonReads } = await setup();
    const entered = deferred();
    const reasons: unknown[] = [];
    const recorder = createRecorder();
    const worker = track(
      await consumer("w", 0, workflow)
        .leaseMs(300)
        .handleSignals(false)
        .logger(quietLogger)
        .handler(async (ctx) => {
          await ctx.step("long", async () => {
            recorder.hit("long");
            entered.resolve();
            // A well-behaved long step: it gives up as soon as ctx.signal aborts.
            await new Promise((_, reject) => {
              ctx.signal.addEventListener("abort", () => {
                reasons.push(ctx.signal.reason);
                reject(ctx.signal.reason as Error);
              });
            });
          });
          await ctx.step("after", () => recorder.hit("after"));
        })
        .create(store),
    );
    void worker.pollForever();
    await entered.promise;
    const requested = await memory.cancelRun({ runId, reason: "customer withdrew" });
    expect(requested.status).toBe("RUNNING");

    const run = await waitForStatus(memory, runId, "CANCELLED");
    expect(reasons).toHaveLength(1);
    expect(RunCancelledError.isInstance(reasons[0])).toBe(true);
    expect(reasons[0]).toMatchObject({ runId, reason: "customer withdrew" });
    expect(recorder.ran).toEqual(["long"]);
    expect(run).toMatchObject({ status: "CANCELLED", cancelReason: "customer withdrew", steps: [] });
    expect(run.finishedAt).toBeInstanceOf(Date);
    // The request was read once, although later beats may have repeated it before the abort.
    expect(reasonReads()).toBe(1);
    await vi.waitFor(async () => {
      const body = (await get(worker, "/metrics")).body;
      expect(body).toContain(`pgqrs_runs_cancelled_total{workflow="${workflow}"} 1`);
      expect(body).toContain(`pgqrs_runs_in_flight{workflow="${workflow}"} 0`);
    }, patience);
  });

  it("ends a run whose step ignores the signal CANCELLED at the next step boundary", async () => {
    const { memory, store, runId } = await setup();
    const entered = deferred();
    const aborted = deferred();
    const finish = deferred();
    const recorder = createRecorder();
    const worker = track(
      await consumer("w", 0, workflow)
        .leaseMs(300)
        .handleSignals(false)
        .logger(quietLogger)
        .handler(async (ctx) => {
          await ctx.step("stubborn", async () => {
            recorder.hit("stubborn");
            ctx.signal.addEventListener("abort", () => aborted.resolve());
            entered.resolve();
            await finish.promise;
            return "done anyway";
          });
          await ctx.step("after", () => recorder.hit("after"));
          return "finished";
        })
        .create(store),
    );
    void worker.pollForever();
    await entered.promise;
    await memory.cancelRun({ runId });
    await aborted.promise;
    finish.resolve();
    const run = await waitForStatus(memory, runId, "CANCELLED");
    expect(recorder.ran).toEqual(["stubborn"]);
    expect(run.output).toBeUndefined();
    expect(run.cancelReason).toBeNull();
  });

  it("still cancels, without a reason, when reading the reason fails", async () => {
    const { memory, store, runId } = await setup({ failures: { getRun: 1 } });
    const entered = deferred();
    const reasons: unknown[] = [];
    const logger = recordingLogger();
    const worker = track(
      await consumer("w", 0, workflow)
        .leaseMs(300)
        .handleSignals(false)
        .logger(logger)
        .handler(async (ctx) => {
          await ctx.step("long", async () => {
            entered.resolve();
            await new Promise((_, reject) => {
              ctx.signal.addEventListener("abort", () => {
                reasons.push(ctx.signal.reason);
                reject(ctx.signal.reason as Error);
              });
            });
          });
        })
        .create(store),
    );
    void worker.pollForever();
    await entered.promise;
    await memory.cancelRun({ runId, reason: "kept in the store" });
    const run = await waitForStatus(memory, runId, "CANCELLED");
    expect(reasons[0]).toMatchObject({ name: "RunCancelledError", runId, reason: null });
    expect(run.cancelReason).toBe("kept in the store");
    expect(logger.entries.some((entry) => entry.level === "warn" && entry.message?.includes("cancelled run's reason"))).toBe(true);
  });
});
