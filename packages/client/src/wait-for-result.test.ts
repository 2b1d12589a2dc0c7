import { getEventListeners } from "node:events";
import { ConfigurationError, defineWorkflow, executeRun, PermanentError, RunFailedError, WaitTimeoutError } from "@pgqrs/core";
import type { WorkflowStore } from "@pgqrs/core/storage";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { claimOne, setupMemoryStore, trackSubscriptions, withoutNotify } from "../test/support/memory";
import { run } from "./run";
import { workflow } from "./workflow";

const zipFiles = defineWorkflow({
  name: "zip_files",
  input: z.object({ bucket: z.string() }),
  output: z.object({ archivePath: z.string(), fileCount: z.number() }),
});

async function triggered() {
  const setup = await setupMemoryStore("zip_files");
  const message = await workflow(zipFiles).trigger({ bucket: "b" }).execute(setup.store);
  return { ...setup, message };
}

/** Lets pending promise callbacks (store events, awaited reads) run without moving fake time. */
async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("result()", () => {
  it("returns the output of a run that already succeeded", async () => {
    const { store, message } = await triggered();
    const claimed = await claimOne(store, "zip_files");
    await store.completeRun({ runId: claimed.runId, leaseToken: claimed.leaseToken, output: { archivePath: "/a.zip", fileCount: 2 } });
    await expect(run().status(message).store(store).result()).resolves.toEqual({ archivePath: "/a.zip", fileCount: 2 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("waits through QUEUED, RUNNING, QUEUED again and PAUSED, woken by events alone", async () => {
    const { store, message } = await triggered();
    const tracked = trackSubscriptions(store);
    let settled = false;
    const result = run()
      .status(message)
      .store(tracked.store)
      .result()
      .finally(() => (settled = true));
    await settle();
    expect(tracked.calls).toEqual(["subscribe", "getRun"]);

    const first = await claimOne(store, "zip_files");
    await store.retryRun({ runId: first.runId, leaseToken: first.leaseToken, delayMs: 0, error: { name: "Error", message: "flaky", attempt: 1 } });
    await settle();
    const second = await claimOne(store, "zip_files");
    await store.pauseRun({ runId: second.runId, leaseToken: second.leaseToken, delayMs: 0 });
    await settle();
    expect(settled).toBe(false);
    const third = await claimOne(store, "zip_files");
    await store.completeRun({ runId: third.runId, leaseToken: third.leaseToken, output: { archivePath: "/z.zip", fileCount: 1 } });
    await settle();

    // No fake time passed: only the store's events can have woken the waiter.
    expect(settled).toBe(true);
    await expect(result).resolves.toEqual({ archivePath: "/z.zip", fileCount: 1 });
    expect(tracked.calls.filter((call) => call === "getRun")).toHaveLength(4);
    expect(tracked.open()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects with RunFailedError carrying the stored error", async () => {
    const { store, message } = await triggered();
    const tracked = trackSubscriptions(store);
    const result = run().status(message).store(tracked.store).result();
    result.catch(() => undefined);
    await settle();
    const claimed = await claimOne(store, "zip_files");
    const stored = { name: "PermanentError", message: "bucket gone", code: "PERMANENT", data: { bucket: "b" }, attempt: 1, stepId: "list_files" };
    await store.failRun({ runId: claimed.runId, leaseToken: claimed.leaseToken, error: stored });

    const error = await result.catch((caught: unknown) => caught);
    expect(RunFailedError.isInstance(error)).toBe(true);
    expect((error as RunFailedError).runId).toBe(message.runId);
    expect((error as RunFailedError).error).toEqual(stored);
    expect((error as Error).message).toContain("bucket gone");
    expect(tracked.open()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("follows a run driven by the core engine", async () => {
    const { store, message } = await triggered();
    const result = run().status(message).store(store).result();
    const claimed = await claimOne(store, "zip_files");
    const outcome = await executeRun({
      store,
      run: claimed,
      workflow: zipFiles,
      handler: async (ctx, params: { bucket: string }) => {
        const files = await ctx.step("list_files", () => [`${params.bucket}/1`, `${params.bucket}/2`]);
        return { archivePath: `/tmp/${params.bucket}.zip`, fileCount: files.length };
      },
    });
    expect(outcome.status).toBe("SUCCESS");
    await expect(result).resolves.toEqual({ archivePath: "/tmp/b.zip", fileCount: 2 });
  });

  it("reports a permanent failure from the core engine", async () => {
    const { store, message } = await triggered();
    const result = run().status(message).store(store).result();
    result.catch(() => undefined);
    const claimed = await claimOne(store, "zip_files");
    await executeRun({
      store,
      run: claimed,
      workflow: zipFiles,
      handler: async (ctx) => ctx.step("list_files", () => Promise.reject(new PermanentError("no such bucket"))),
    });
    const error = await result.catch((caught: unknown) => caught);
    expect(RunFailedError.isInstance(error)).toBe(true);
    expect((error as RunFailedError).error).toMatchObject({ name: "PermanentError", message: "no such bucket", stepId: "list_files" });
  });

  it("polls with a growing delay when the store cannot notify", async () => {
    const { store, message } = await triggered();
    const reads: number[] = [];
    const started = Date.now();
    const polling: WorkflowStore = {
      ...withoutNotify(store),
      getRun: async (args) => {
        reads.push(Date.now() - started);
        return store.getRun(args);
      },
    };
    const result = run().status(message).store(polling).result();
    await vi.advanceTimersByTimeAsync(4_000);
    expect(reads).toEqual([0, 50, 150, 350, 750, 1_550, 2_550, 3_550]);

    const claimed = await claimOne(store, "zip_files");
    await store.completeRun({ runId: claimed.runId, leaseToken: claimed.leaseToken, output: { archivePath: "/p.zip", fileCount: 0 } });
    // The next read is due 1 s after the last one, at 4 550 ms.
    await vi.advanceTimersByTimeAsync(549);
    expect(reads).toHaveLength(8);
    await vi.advanceTimersByTimeAsync(1);
    expect(reads).toHaveLength(9);
    await expect(result).resolves.toEqual({ archivePath: "/p.zip", fileCount: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("still re-reads now and then when a notifying store drops events", async () => {
    const { store, message } = await triggered();
    const deaf: WorkflowStore = {
      ...store,
      subscribe: async () => ({ close: async () => undefined }),
    };
    let settled = false;
    const result = run()
      .status(message)
      .store(deaf)
      .result()
      .finally(() => (settled = true));
    await settle();
    const claimed = await claimOne(store, "zip_files");
    await store.completeRun({ runId: claimed.runId, leaseToken: claimed.leaseToken, output: { archivePath: "/d.zip", fileCount: 0 } });
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toEqual({ archivePath: "/d.zip", fileCount: 0 });
  });

  it("gives up after timeoutMs with WaitTimeoutError and closes everything", async () => {
    const { store, message } = await triggered();
    const tracked = trackSubscriptions(store);
    const result = run().status(message).store(tracked.store).result({ timeoutMs: 2_500 });
    const caught = result.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(2_499);
    expect(tracked.open()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);

    const error = await caught;
    expect(WaitTimeoutError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ runId: message.runId, timeoutMs: 2_500, status: "QUEUED" });
    expect(tracked.opened()).toBe(1);
    expect(tracked.open()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    // The run goes on.
    expect((await store.getRun({ runId: message.runId }))?.status).toBe("QUEUED");
  });

  it("times out a polling wait too", async () => {
    const { store, message } = await triggered();
    const caught = run().status(message).store(withoutNotify(store)).result({ timeoutMs: 300 }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(300);
    expect(WaitTimeoutError.isInstance(await caught)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("refuses timeoutMs %s", async (timeoutMs) => {
    const { store, message } = await triggered();
    const error = await run().status(message).store(store).result({ timeoutMs }).catch((caught: unknown) => caught);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as ConfigurationError).option).toBe("timeoutMs");
  });

  it("rejects with the signal's reason on abort and closes everything", async () => {
    const { store, message } = await triggered();
    const tracked = trackSubscriptions(store);
    const controller = new AbortController();
    const caught = run().status(message).store(tracked.store).result({ signal: controller.signal }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);

    const reason = new Error("request closed");
    controller.abort(reason);
    expect(await caught).toBe(reason);
    expect(tracked.open()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("rejects at once for a signal that is already aborted, reading nothing", async () => {
    const { store, message } = await triggered();
    const tracked = trackSubscriptions(store);
    const reason = new Error("too late");
    await expect(run().status(message).store(tracked.store).result({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(tracked.calls).toEqual([]);
  });

  it("removes its abort listener when the run finishes first", async () => {
    const { store, message } = await triggered();
    const controller = new AbortController();
    const result = run().status(message).store(store).result({ signal: controller.signal, timeoutMs: 60_000 });
    const claimed = await claimOne(store, "zip_files");
    await store.completeRun({ runId: claimed.runId, leaseToken: claimed.leaseToken, output: { archivePath: "/s.zip", fileCount: 3 } });
    await expect(result).resolves.toEqual({ archivePath: "/s.zip", fileCount: 3 });
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("closes a subscription that opens after the wait already ended", async () => {
    const { store, message } = await triggered();
    let closed = 0;
    let openSubscription: () => void = () => undefined;
    const slow: WorkflowStore = {
      ...store,
      subscribe: () =>
        new Promise((resolve) => {
          openSubscription = () => resolve({ close: async () => void (closed += 1) });
        }),
    };
    const caught = run().status(message).store(slow).result({ timeoutMs: 100 }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(100);
    expect(WaitTimeoutError.isInstance(await caught)).toBe(true);
    expect(closed).toBe(0);
    openSubscription();
    await settle();
    expect(closed).toBe(1);
  });
});
