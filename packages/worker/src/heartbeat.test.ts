import { LeaseLostError } from "@pgqrs/core";
import { createFakeClock, createMemoryStore } from "@pgqrs/core/testing";
import { describe, expect, it, vi } from "vitest";
import { deferred, get, patience, quietLogger, spyStore, trackWorkers } from "../test/support/harness";
import { createHeartbeat } from "./heartbeat";
import { consumer } from "./index";

const track = trackWorkers();
const workflow = "jobs";

async function setup() {
  const memory = createMemoryStore({ clock: createFakeClock() });
  await memory.createWorkflow({ name: workflow });
  const spy = spyStore(memory);
  const { message } = await memory.enqueue({ workflow, input: {} });
  const extendCalls = () => spy.calls.filter((call) => call.method === "extendLeases");
  return { memory, ...spy, runId: message.runId, extendCalls };
}

describe("the heartbeat", () => {
  it("extends the leases of running runs in one call every leaseMs / 3", async () => {
    const { memory, store, runId, extendCalls } = await setup();
    const entered = deferred();
    const release = deferred();
    const worker = track(
      await consumer("w", 0, workflow)
        .leaseMs(300)
        .handleSignals(false)
        .logger(quietLogger)
        .handler(async (ctx) => {
          await ctx.step("wait", async () => {
            entered.resolve();
            await release.promise;
          });
        })
        .create(store),
    );
    void worker.pollForever();
    await entered.promise;
    const claimedUntil = (await memory.getRun({ runId }))?.leaseExpiresAt?.getTime() ?? 0;
    memory.clock.advance(200);
    const callsBefore = extendCalls().length;
    await vi.waitFor(() => expect(extendCalls().length).toBeGreaterThan(callsBefore), patience);
    const [call] = extendCalls().slice(callsBefore);
    const args = call?.args as { workerId: string; leaseMs: number; leases: { runId: string }[] };
    expect(args.workerId).toBe(worker.id);
    expect(args.leaseMs).toBe(300);
    expect(args.leases.map((lease) => lease.runId)).toEqual([runId]);
    expect(call?.result).toEqual({ extended: [runId], cancelRequested: [] });
    await vi.waitFor(async () => {
      expect((await memory.getRun({ runId }))?.leaseExpiresAt?.getTime()).toBe(memory.clock.now() + 300);
    }, patience);
    expect(memory.clock.now() + 300).toBeGreaterThan(claimedUntil);
    release.resolve();
  });

  it("aborts ctx.signal with LeaseLostError when the lease is lost, and writes nothing more", async () => {
    const { memory, store, runId } = await setup();
    const entered = deferred();
    const aborted = deferred<unknown>();
    const worker = track(
      await consumer("w", 0, workflow)
        .leaseMs(300)
        .handleSignals(false)
        .logger(quietLogger)
        .handler(async (ctx) => {
          await ctx.step("wait", async () => {
            ctx.signal.addEventListener("abort", () => aborted.resolve(ctx.signal.reason));
            entered.resolve();
            await new Promise(() => undefined);
          });
        })
        .create(store),
    );
    void worker.pollForever();
    await entered.promise;
    // The worker looks dead to the store: its lease lapses and another worker claims the run.
    memory.clock.advance(1_000);
    const [taken] = await memory.claimRuns({ workerId: "other", workflow, limit: 1, leaseMs: 60_000 });
    expect(taken?.runId).toBe(runId);
    expect(LeaseLostError.isInstance(await aborted.promise)).toBe(true);
    await vi.waitFor(async () => expect((await get(worker, "/metrics")).body).toContain(`pgqrs_lease_losses_total{workflow="${workflow}"} 1`), patience);
    const run = await memory.getRun({ runId });
    expect(run?.status).toBe("RUNNING");
    expect(run?.attempt).toBe(2);
    expect(run?.steps).toEqual([]);
    expect((await get(worker, "/metrics")).body).toContain(`pgqrs_runs_in_flight{workflow="${workflow}"} 0`);
  });

  it("logs a failed beat and tries again at the next one, without aborting anything", async () => {
    const memory = createMemoryStore();
    const failures = { left: 1 };
    const results: boolean[] = [];
    const lost: string[] = [];
    const warnings: string[] = [];
    const heartbeat = createHeartbeat({
      store: {
        ...memory,
        extendLeases: async (args) => {
          if (failures.left-- > 0) throw new Error("connection reset");
          return memory.extendLeases(args);
        },
      },
      workerId: "1",
      leaseMs: 30,
      intervalMs: 10,
      leases: () => [],
      onLost: (lease) => lost.push(lease.runId),
      onCancelRequested: (lease) => lost.push(`cancel ${lease.runId}`),
      onStoreResult: (ok) => results.push(ok),
      logger: { ...quietLogger, warn: (_object, message) => warnings.push(message ?? "") },
    });
    heartbeat.start();
    await vi.waitFor(() => expect(results.length).toBeGreaterThanOrEqual(2), patience);
    await heartbeat.stop();
    expect(results.slice(0, 2)).toEqual([false, true]);
    expect(results.slice(2).every(Boolean)).toBe(true);
    expect(lost).toEqual([]);
    expect(warnings).toEqual(["pgqrs worker: extending leases failed; retrying at the next heartbeat"]);
  });
});
