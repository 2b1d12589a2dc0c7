import type { WorkflowContext } from "@pgqrs/core";
import { createMemoryStore } from "@pgqrs/core/testing";
import { describe, expect, it, vi } from "vitest";
import { deferred, get, patience, quietLogger, spyStore, trackWorkers, waitForStatus } from "../test/support/harness";
import { claimAheadLimit, claimAheadMaxHandlerMs } from "./claim-loop";
import { consumer } from "./index";
import type { RunSlots } from "./run-slots";

const track = trackWorkers();
const workflow = "jobs";

async function setup(count: number, input: (index: number) => unknown = (index) => ({ index })) {
  const memory = createMemoryStore();
  await memory.createWorkflow({ name: workflow });
  const spy = spyStore(memory);
  const runIds: string[] = [];
  for (let index = 0; index < count; index++) {
    runIds.push((await memory.enqueue({ workflow, input: input(index) as never })).message.runId);
  }
  const limits = () => spy.calls.filter((call) => call.method === "claimRuns").map((call) => (call.args as { limit: number }).limit);
  const heartbeats = () =>
    spy.calls.filter((call) => call.method === "extendLeases").map((call) => (call.args as { leases: { runId: string }[] }).leases.map((lease) => lease.runId));
  return { memory, store: spy.store, runIds, limits, heartbeats };
}

describe("claimAheadLimit", () => {
  const slots = (recentHandlerMs: number | undefined) => ({ recentHandlerMs }) as RunSlots;

  it("claims ahead only with a backlog and short handlers", () => {
    expect(claimAheadLimit({ prefetch: 4, slots: slots(1), state: { lastClaimFull: true } })).toBe(4);
    expect(claimAheadLimit({ prefetch: 4, slots: slots(1), state: { lastClaimFull: false } })).toBe(0);
    expect(claimAheadLimit({ prefetch: 4, slots: slots(claimAheadMaxHandlerMs), state: { lastClaimFull: true } })).toBe(0);
    expect(claimAheadLimit({ prefetch: 4, slots: slots(undefined), state: { lastClaimFull: true } })).toBe(0);
    expect(claimAheadLimit({ prefetch: 0, slots: slots(1), state: { lastClaimFull: true } })).toBe(0);
  });
});

describe("claiming ahead (prefetch)", () => {
  it("claims beyond its free slots while handlers are short and runs are waiting, never running more handlers than its concurrency", async () => {
    const { memory, store, runIds, limits } = await setup(60);
    let running = 0;
    let maxRunning = 0;
    const worker = track(
      await consumer("w", 0, workflow)
        .concurrency(3)
        .prefetch(3)
        .handleSignals(false)
        .logger(quietLogger)
        .handler(async (ctx: WorkflowContext) => {
          maxRunning = Math.max(maxRunning, (running += 1));
          try {
            return await ctx.step("only", async () => ctx.runId);
          } finally {
            running -= 1;
          }
        })
        .create(store),
    );
    await worker.drain();
    for (const runId of runIds) expect((await memory.getRun({ runId }))?.output).toBe(runId);
    expect(maxRunning).toBeLessThanOrEqual(3);
    // Free slots alone never ask for more than 3; some claims asked for runs to wait, none for more than 3 + 3.
    expect(limits().some((limit) => limit > 3)).toBe(true);
    expect(Math.max(...limits())).toBeLessThanOrEqual(6);
    await worker.stop();
  });

  it("never claims ahead while handlers are slow", async () => {
    const { memory, store, runIds, limits } = await setup(6);
    const worker = track(
      await consumer("w", 0, workflow)
        .concurrency(2)
        .prefetch(2)
        .handleSignals(false)
        .logger(quietLogger)
        .handler(async () => {
          await new Promise((resolve) => setTimeout(resolve, claimAheadMaxHandlerMs + 10));
        })
        .create(store),
    );
    await worker.drain();
    for (const runId of runIds) expect((await memory.getRun({ runId }))?.status).toBe("SUCCESS");
    expect(Math.max(...limits())).toBe(2);
    await worker.stop();
  });

  /** Short runs, then one whose handler waits for `gate`, then short ones again: those get claimed ahead. */
  async function withWaitingRuns(options: { leaseMs?: number } = {}) {
    const context = await setup(12, (index) => ({ gated: index === 5 }));
    const gate = deferred();
    const started = new Set<string>();
    const worker = track(
      await consumer("w", 0, workflow)
        .concurrency(1)
        .prefetch(2)
        .leaseMs(options.leaseMs ?? 30_000)
        .pollIntervalMs(60_000)
        .handleSignals(false)
        .logger(quietLogger)
        .handler(async (ctx: WorkflowContext, params) => {
          started.add(ctx.runId);
          if ((params as { gated: boolean }).gated) await gate.promise;
        })
        .create(context.store),
    );
    const polling = worker.pollForever();
    const [gated, next, after] = [context.runIds[5], context.runIds[6], context.runIds[7]] as [string, string, string];
    await vi.waitFor(() => expect(started.has(gated)).toBe(true), patience);
    // The slot is busy with the gated run; the two runs after it are claimed (RUNNING) but not started.
    await waitForStatus(context.memory, next, "RUNNING");
    await waitForStatus(context.memory, after, "RUNNING");
    expect(started.has(next) || started.has(after)).toBe(false);
    return { ...context, gate, started, worker, polling, gated, waiting: [next, after] };
  }

  it("hands runs waiting for a slot back at once on stop, without counting a failure, while the running handler finishes", async () => {
    const { memory, gate, started, worker, polling, gated, waiting } = await withWaitingRuns();
    const metrics = (await get(worker, "/metrics")).body;
    expect(metrics).toContain(`pgqrs_runs_in_flight{workflow="${workflow}"} 1`);
    expect(metrics).toContain(`pgqrs_runs_waiting{workflow="${workflow}"} 2`);
    const stopping = worker.stop({ timeoutMs: 60_000 });
    for (const runId of waiting) {
      const run = await waitForStatus(memory, runId, "QUEUED");
      expect(run.runFailures).toBe(0);
      expect(run.visibleAt !== null && run.visibleAt.getTime() <= Date.now()).toBe(true);
    }
    expect((await memory.getRun({ runId: gated }))?.status).toBe("RUNNING");
    gate.resolve();
    await stopping;
    await polling;
    expect((await memory.getRun({ runId: gated }))?.status).toBe("SUCCESS");
    expect(waiting.some((runId) => started.has(runId))).toBe(false);
  });

  it("heartbeats the leases of waiting runs and ends a waiting run CANCELLED without running its handler", async () => {
    const { memory, gate, started, worker, polling, waiting, heartbeats } = await withWaitingRuns({ leaseMs: 300 });
    const [cancelled, kept] = waiting as [string, string];
    await vi.waitFor(() => expect(heartbeats().some((runIds) => runIds.includes(kept) && runIds.includes(cancelled))).toBe(true), patience);
    // The heartbeat hears of the request and the engine acknowledges it without starting the handler.
    await memory.cancelRun({ runId: cancelled, reason: "not needed" });
    await waitForStatus(memory, cancelled, "CANCELLED");
    expect(await memory.getRun({ runId: kept })).toMatchObject({ status: "RUNNING", attempt: 1 });
    gate.resolve();
    await waitForStatus(memory, kept, "SUCCESS");
    expect(started.has(cancelled)).toBe(false);
    await worker.stop();
    await polling;
  });
});
