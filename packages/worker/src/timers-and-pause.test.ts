import { createFakeClock, createMemoryStore } from "@pgqrs/core/testing";
import type { ClaimedRun } from "@pgqrs/core/storage";
import { describe, expect, it, vi } from "vitest";
import { patience, quietLogger, spyStore, trackWorkers, waitForStatus } from "../test/support/harness";
import { consumer } from "./index";

const track = trackWorkers();
const workflow = "jobs";

async function setup() {
  const memory = createMemoryStore({ clock: createFakeClock() });
  await memory.createWorkflow({ name: workflow });
  const spy = spyStore(memory);
  const claims = () => spy.calls.filter((call) => call.method === "claimRuns");
  const claimed = (call: { result?: unknown }) => (call.result as ClaimedRun[] | undefined)?.length;
  return { memory, ...spy, claims, claimed };
}

function createCounter() {
  const counts = new Map<string, number>();
  return {
    hit: (id: string) => counts.set(id, (counts.get(id) ?? 0) + 1).get(id) ?? 0,
    of: (id: string) => counts.get(id) ?? 0,
  };
}

describe("an operator-paused workflow", () => {
  it("is polled but yields nothing while paused, and resumeWorkflow wakes the worker at once", async () => {
    const { memory, store, claims, claimed } = await setup();
    await memory.pauseWorkflow({ name: workflow });
    const worker = track(
      await consumer("w", 0, workflow)
        // A poll interval of ten minutes: only the store's events can wake the worker within the test.
        .pollIntervalMs(600_000)
        .handleSignals(false)
        .logger(quietLogger)
        .handler(async () => "ran")
        .create(store),
    );
    void worker.pollForever();
    await vi.waitFor(() => expect(claims().some((call) => call.result !== undefined)).toBe(true), patience);
    const before = claims().length;

    // A trigger still enqueues and still wakes the worker, whose claim finds nothing to take.
    const { message } = await memory.enqueue({ workflow, input: {} });
    await vi.waitFor(() => expect(claims().slice(before).some((call) => call.result !== undefined)).toBe(true), patience);
    expect(claims().slice(before).map(claimed)).toEqual([0]);
    expect(await memory.getRun({ runId: message.runId })).toMatchObject({ status: "QUEUED", attempt: 0 });

    await memory.resumeWorkflow({ name: workflow });
    const run = await waitForStatus(memory, message.runId, "SUCCESS");
    expect(run.output).toBe("ran");
    expect(run.attempt).toBe(1);
  });
});

describe("ctx.sleep and ctx.waitForEvent in the worker", () => {
  it("a sleeping run frees its slot and runs on once the store clock passes its deadline, without re-running steps", async () => {
    const { memory, store } = await setup();
    const counter = createCounter();
    const { message } = await memory.enqueue({ workflow, input: {} });
    const worker = track(
      await consumer("w", 0, workflow)
        .concurrency(1)
        .handleSignals(false)
        .logger(quietLogger)
        .handler(async (ctx) => {
          await ctx.step("before", () => counter.hit("before"));
          await ctx.sleep("nap", 60_000);
          await ctx.step("after", () => counter.hit("after"));
          return "rested";
        })
        .create(store),
    );
    await worker.drain();
    const sleeping = await memory.getRun({ runId: message.runId });
    expect(sleeping?.status).toBe("PAUSED");
    expect(counter.of("before")).toBe(1);
    expect(counter.of("after")).toBe(0);

    // Not yet due: nothing is claimed.
    memory.clock.advance(50_000);
    await worker.drain();
    expect((await memory.getRun({ runId: message.runId }))?.status).toBe("PAUSED");

    memory.clock.advance(11_000);
    await worker.drain();
    const done = await memory.getRun({ runId: message.runId });
    expect(done).toMatchObject({ status: "SUCCESS", output: "rested" });
    expect(counter.of("before")).toBe(1);
    expect(counter.of("after")).toBe(1);
  });

  it("an event sent to a waiting run wakes a polling worker at once", async () => {
    const { memory, store } = await setup();
    const { message } = await memory.enqueue({ workflow, input: {} });
    const worker = track(
      await consumer("w", 0, workflow)
        .pollIntervalMs(600_000)
        .handleSignals(false)
        .logger(quietLogger)
        .handler(async (ctx) => {
          const approval = await ctx.waitForEvent<{ by: string }>("approval", "approved");
          return await ctx.step("ship", () => `shipped, approved by ${approval.by}`);
        })
        .create(store),
    );
    void worker.pollForever();
    await waitForStatus(memory, message.runId, "PAUSED");
    const { created } = await memory.sendEvent({ runId: message.runId, name: "approved", payload: { by: "alice" } });
    expect(created).toBe(true);
    const run = await waitForStatus(memory, message.runId, "SUCCESS");
    expect(run.output).toBe("shipped, approved by alice");
  });
});
