import { TransientError, WorkerStoppingError, type WorkflowContext } from "@pgqrs/core";
import type { ClaimedRun } from "@pgqrs/core/storage";
import { createFakeClock, createMemoryStore } from "@pgqrs/core/testing";
import { describe, expect, it, vi } from "vitest";
import { deferred, get, patience, quietLogger, recordingLogger, spyStore, trackWorkers, waitForStatus } from "../test/support/harness";
import { consumer } from "./index";

const track = trackWorkers();
const workflow = "jobs";

async function setup(options: { failures?: NonNullable<Parameters<typeof spyStore>[1]>["failures"]; fakeClock?: boolean } = {}) {
  const memory = createMemoryStore(options.fakeClock ? { clock: createFakeClock() } : {});
  await memory.createWorkflow({ name: workflow });
  const spy = spyStore(memory, options.failures === undefined ? {} : { failures: options.failures });
  const enqueue = async (input: unknown = {}) => (await memory.enqueue({ workflow, input: input as never })).message.runId;
  const claims = () => spy.calls.filter((call) => call.method === "claimRuns");
  return { memory, ...spy, enqueue, claims };
}

function claimedCount(call: { result?: unknown }): number {
  return (call.result as ClaimedRun[] | undefined)?.length ?? 0;
}

describe("the claim loop", () => {
  it("claims up to its free slots in one call (prefetch 0), and claims again when a slot frees after a full claim", async () => {
    const { memory, store, claims, enqueue, maxConcurrentClaims } = await setup();
    const gates = new Map<string, () => void>();
    const runIds = [];
    for (let index = 0; index < 5; index++) runIds.push(await enqueue({ index }));
    const worker = track(
      await consumer("w", 0, workflow)
        .concurrency(3)
        .prefetch(0)
        .pollIntervalMs(60_000)
        .handleSignals(false)
        .logger(quietLogger)
        .handler(async (ctx: WorkflowContext) => {
          await new Promise<void>((resolve) => gates.set(ctx.runId, resolve));
        })
        .create(store),
    );
    const polling = worker.pollForever();
    await vi.waitFor(() => expect(gates.size).toBe(3), patience);
    expect(claims().map((call) => [(call.args as { limit: number }).limit, claimedCount(call)])).toEqual([[3, 3]]);

    // One run ends: the freed slot wakes the loop at once (the poll interval is a minute), for exactly one run.
    gates.get(runIds[0] ?? "")?.();
    await waitForStatus(memory, runIds[0] ?? "", "SUCCESS");
    await vi.waitFor(() => expect(gates.size).toBe(4), patience);
    expect(claims().map((call) => [(call.args as { limit: number }).limit, claimedCount(call)])).toEqual([
      [3, 3],
      [1, 1],
    ]);
    expect(maxConcurrentClaims()).toBe(1);
    for (const open of gates.values()) open();
    await worker.stop();
    await polling;
  });

  it("claims the next run while a finished handler's outcome is still being written, never running more handlers than its concurrency", async () => {
    const { memory, store, claims, enqueue } = await setup();
    const first = await enqueue({ index: 0 });
    const second = await enqueue({ index: 1 });
    const completionHeld = deferred();
    const completing = deferred();
    const slowCompletion = {
      ...store,
      completeRun: async (args: Parameters<typeof store.completeRun>[0]) => {
        if (args.runId === first) {
          completing.resolve();
          await completionHeld.promise;
        }
        return store.completeRun(args);
      },
    };
    const started: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const worker = track(
      await consumer("w", 0, workflow)
        .concurrency(1)
        .prefetch(0)
        .pollIntervalMs(60_000)
        .handleSignals(false)
        .logger(quietLogger)
        .handler(async (ctx: WorkflowContext) => {
          maxRunning = Math.max(maxRunning, (running += 1));
          started.push(ctx.runId);
          await Promise.resolve();
          running -= 1;
        })
        .create(slowCompletion),
    );
    const polling = worker.pollForever();
    try {
      await completing.promise;
      // The first run's completion has not committed, yet its slot's next run is claimed and running.
      await vi.waitFor(() => expect(started).toEqual([first, second]), patience);
      expect((await memory.getRun({ runId: first }))?.status).toBe("RUNNING");
    } finally {
      completionHeld.resolve();
    }
    await waitForStatus(memory, first, "SUCCESS");
    await waitForStatus(memory, second, "SUCCESS");
    expect(maxRunning).toBe(1);
    // Each claim asked only for the one slot of concurrency 1.
    expect(claims().every((call) => (call.args as { limit: number }).limit === 1)).toBe(true);
    await worker.stop();
    await polling;
  });

  it("wakes on an enqueue event without waiting for the poll interval", async () => {
    const { memory, store, claims, enqueue } = await setup();
    const worker = track(
      await consumer("w", 0, workflow)
        .pollIntervalMs(600_000)
        .handleSignals(false)
        .logger(quietLogger)
        .handler(async (_ctx, params) => ({ echoed: params }))
        .create(store),
    );
    void worker.pollForever();
    await vi.waitFor(() => expect(claims().some((call) => call.result !== undefined)).toBe(true), patience);
    const runId = await enqueue({ n: 1 });
    const run = await waitForStatus(memory, runId, "SUCCESS");
    expect(run.output).toEqual({ echoed: { n: 1 } });
  }, 5_000);

  it("polls a store that cannot notify, and picks up delayed runs when due", async () => {
    const { memory, store, calls } = await setup();
    const pollOnly = { ...store, capabilities: { notify: false } };
    const worker = track(
      await consumer("w", 0, workflow)
        .pollIntervalMs(10)
        .handleSignals(false)
        .logger(quietLogger)
        .handler(async () => "ok")
        .create(pollOnly),
    );
    void worker.pollForever();
    const now = (await memory.enqueue({ workflow, input: {} })).message.runId;
    const delayed = (await memory.enqueue({ workflow, input: {}, delayMs: 50 })).message.runId;
    await waitForStatus(memory, now, "SUCCESS");
    await waitForStatus(memory, delayed, "SUCCESS");
    expect(calls.some((call) => call.method === "subscribe")).toBe(false);
  });

  it("drain() runs every visible run, including ones handed back visible at once, and not ones retried later", async () => {
    const { memory, store, enqueue } = await setup();
    const attempts = new Map<string, number>();
    const ok = await enqueue({ kind: "ok" });
    const flaky = await enqueue({ kind: "retry-now" });
    const later = await enqueue({ kind: "retry-later" });
    const worker = track(
      await consumer("w", 0, workflow)
        .concurrency(2)
        .handleSignals(false)
        .logger(quietLogger)
        .handler(async (ctx, params) => {
          attempts.set(ctx.runId, (attempts.get(ctx.runId) ?? 0) + 1);
          const { kind } = params as { kind: string };
          if (kind === "retry-now" && ctx.attempt === 1) throw new TransientError("flaky", { retryAfterMs: 0 });
          if (kind === "retry-later") throw new TransientError("later", { retryAfterMs: 3_600_000 });
          return kind;
        })
        .create(store),
    );
    await worker.drain();
    expect((await memory.getRun({ runId: ok }))?.status).toBe("SUCCESS");
    expect((await memory.getRun({ runId: flaky }))?.status).toBe("SUCCESS");
    expect(attempts.get(flaky)).toBe(2);
    expect((await memory.getRun({ runId: later }))?.status).toBe("QUEUED");
    expect(attempts.get(later)).toBe(1);
    // Nothing is visible now: a second drain claims once, finds nothing and resolves.
    await worker.drain();
    expect(attempts.get(later)).toBe(1);
  });

  it("survives a failing store: logs, backs off, reports 503, then recovers and runs the work", async () => {
    const { memory, store, failures, enqueue } = await setup({ failures: { claimRuns: 1_000 } });
    const logger = recordingLogger();
    const runId = await enqueue({ secret: "hunter2" });
    const worker = track(
      await consumer("w", 0, workflow)
        .pollIntervalMs(20)
        .handleSignals(false)
        .logger(logger)
        .handler(async () => "ok")
        .create(store),
    );
    void worker.pollForever();
    await vi.waitFor(() => expect(logger.entries.filter((entry) => entry.level === "warn").length).toBeGreaterThanOrEqual(2), patience);
    expect((await get(worker, "/healthz")).status).toBe(503);
    failures.claimRuns = 0;
    await waitForStatus(memory, runId, "SUCCESS");
    await vi.waitFor(async () => expect((await get(worker, "/healthz")).status).toBe(200), patience);
    const warning = logger.entries.find((entry) => entry.level === "warn");
    expect(warning?.message).toContain("claiming runs failed");
    expect(JSON.stringify(logger.entries)).not.toContain("hunter2");
  }, 15_000);

  it("survives a store that fails while recording an outcome: the run is recovered after its lease", async () => {
    const { memory, store, failures, enqueue } = await setup({ fakeClock: true });
    const logger = recordingLogger();
    const runId = await enqueue();
    failures.completeRun = 1;
    const worker = track(
      await consumer("w", 0, workflow).leaseMs(1_000).handleSignals(false).logger(logger).handler(async () => "ok").create(store),
    );
    await worker.drain();
    expect((await memory.getRun({ runId }))?.status).toBe("RUNNING");
    memory.clock.advance(1_001);
    await worker.drain();
    const run = await memory.getRun({ runId });
    expect(run?.status).toBe("SUCCESS");
    expect(run?.attempt).toBe(2);
    expect(logger.entries.some((entry) => entry.level === "warn" && entry.message?.includes("recording"))).toBe(true);
  });
});

describe("stop()", () => {
  it("lets handlers finish within the timeout", async () => {
    const { memory, store, enqueue } = await setup();
    const entered = deferred();
    const finish = deferred();
    const runId = await enqueue();
    const worker = track(
      await consumer("w", 0, workflow)
        .handleSignals(false)
        .logger(quietLogger)
        .handler(async () => {
          entered.resolve();
          await finish.promise;
          return "finished";
        })
        .create(store),
    );
    const polling = worker.pollForever();
    await entered.promise;
    const stopping = worker.stop({ timeoutMs: 30_000 });
    finish.resolve();
    await stopping;
    await polling;
    expect((await memory.getRun({ runId }))?.status).toBe("SUCCESS");
  });

  it("aborts ctx.signal with WorkerStoppingError after the timeout and releases the run, counting no failure", async () => {
    const { memory, store, enqueue } = await setup();
    const entered = deferred();
    const reasons: unknown[] = [];
    const runId = await enqueue();
    const worker = track(
      await consumer("w", 0, workflow)
        .handleSignals(false)
        .logger(quietLogger)
        .handler(async (ctx) => {
          entered.resolve();
          ctx.signal.addEventListener("abort", () => reasons.push(ctx.signal.reason));
          await new Promise(() => undefined); // a handler that ignores the signal
        })
        .create(store),
    );
    const polling = worker.pollForever();
    await entered.promise;
    const metricsBefore = (await get(worker, "/metrics")).body;
    expect(metricsBefore).toContain(`pgqrs_runs_in_flight{workflow="${workflow}"} 1`);
    await worker.stop({ timeoutMs: 20 });
    await polling;
    expect(reasons).toHaveLength(1);
    expect(WorkerStoppingError.isInstance(reasons[0])).toBe(true);
    const run = await memory.getRun({ runId });
    expect(run?.status).toBe("QUEUED");
    expect(run?.visibleAt?.getTime()).toBeLessThanOrEqual(Date.now());
    expect(run?.runFailures).toBe(0);
    expect(run?.error).toBeNull();
    // The worker is gone: its server is closed and its registration marked stopped.
    await expect(get(worker, "/healthz")).rejects.toThrow();
    const [record] = await memory.listWorkers();
    expect(record?.stoppedAt).toBeInstanceOf(Date);
  });

  it("stops on SIGTERM during pollForever() and removes its signal listeners", async () => {
    const { store } = await setup();
    const before = process.listenerCount("SIGTERM");
    const worker = track(await consumer("w", 0, workflow).logger(quietLogger).handler(async () => "ok").create(store));
    const polling = worker.pollForever();
    await vi.waitFor(() => expect(process.listenerCount("SIGTERM")).toBe(before + 1), patience);
    process.emit("SIGTERM", "SIGTERM");
    await polling;
    expect(process.listenerCount("SIGTERM")).toBe(before);
  });

  it("refuses drain() while pollForever() polls, and stays stopped after stop()", async () => {
    const { store, claims } = await setup();
    const worker = track(await consumer("w", 0, workflow).handleSignals(false).logger(quietLogger).handler(async () => "ok").create(store));
    const polling = worker.pollForever();
    await expect(worker.drain()).rejects.toThrow(/pollForever/);
    await worker.stop();
    await polling;
    const claimCount = claims().length;
    await worker.pollForever();
    await worker.drain();
    expect(claims()).toHaveLength(claimCount);
  });
});
