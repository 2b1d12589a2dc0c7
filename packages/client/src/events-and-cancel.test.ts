import { ConfigurationError, InvalidNameError, InvalidRunStateError, NotJsonError, PayloadTooLargeError, RunCancelledError, RunNotFoundError } from "@pgqrs/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { claimOne, setupMemoryStore, trackSubscriptions } from "../test/support/memory";
import { run } from "./run";
import { workflow } from "./workflow";

async function triggered() {
  const setup = await setupMemoryStore("approvals");
  const message = await workflow("approvals").trigger({ order: 7 }).execute(setup.store);
  return { ...setup, message, handle: run().status(message).store(setup.store) };
}

function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

afterEach(() => {
  vi.useRealTimers();
});

describe("run().status(ref).store(store).sendEvent(name, payload)", () => {
  it("stores the event once: the first payload wins and a second send says created: false", async () => {
    const { clock, store, message, handle } = await triggered();
    const first = await handle.sendEvent("approved", { by: "alice" });
    expect(first).toEqual({ created: true, payload: { by: "alice" }, sentAt: new Date(clock.now()).toISOString() });
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);

    clock.advance(1_000);
    const second = await handle.sendEvent("approved", { by: "mallory" });
    expect(second).toEqual({ ...first, created: false });
    expect(await store.getEvent({ runId: message.runId, name: "approved" })).toMatchObject({ payload: { by: "alice" } });
  });

  it("wakes a run PAUSED waiting for the event at once", async () => {
    const { clock, store, message, handle } = await triggered();
    const claimed = await claimOne(store, "approvals");
    await store.pauseRun({ runId: claimed.runId, leaseToken: claimed.leaseToken, delayMs: 3_600_000, waitEvent: "approved" });
    await expect(claimOne(store, "approvals")).rejects.toThrow(/no visible run/);

    await handle.sendEvent("approved", true);
    const info = await handle.get();
    expect(info.visibleAt).toBe(new Date(clock.now()).toISOString());
    expect((await claimOne(store, "approvals")).runId).toBe(message.runId);
  });

  it.each<[string, unknown, unknown, (error: unknown) => boolean]>([
    ["a name with a space", "not approved", {}, (error) => InvalidNameError.isInstance(error)],
    ["an empty name", "", {}, (error) => InvalidNameError.isInstance(error)],
    ["a non-string name", 42, {}, (error) => InvalidNameError.isInstance(error)],
    ["a Date in the payload", "approved", { at: new Date() }, (error) => NotJsonError.isInstance(error)],
    ["an undefined payload", "approved", undefined, (error) => NotJsonError.isInstance(error)],
    ["an oversized payload", "approved", "x".repeat(1_048_577), (error) => PayloadTooLargeError.isInstance(error)],
  ])("refuses %s before anything is written", async (_label, name, payload, check) => {
    const { store, message, handle } = await triggered();
    const error = await caught(handle.sendEvent(name as string, payload));
    expect(check(error)).toBe(true);
    if (typeof name === "string" && name.length > 0 && name !== "not approved") {
      expect(await store.getEvent({ runId: message.runId, name })).toBeNull();
    }
  });

  it("names the path of a payload that is not JSON", async () => {
    const { handle } = await triggered();
    const error = await caught(handle.sendEvent("approved", { items: [{ at: new Date() }] }));
    expect((error as Error).message).toContain('event "approved" payload.items[0].at: Date is not JSON');
  });

  it("refuses an unknown run and a final run", async () => {
    const { store, handle } = await triggered();
    expect(RunNotFoundError.isInstance(await caught(run().status("999999").store(store).sendEvent("approved", 1)))).toBe(true);
    await handle.cancel();
    expect(InvalidRunStateError.isInstance(await caught(handle.sendEvent("approved", 1)))).toBe(true);
  });
});

describe("run().status(ref).store(store).cancel({ reason })", () => {
  it("ends a QUEUED run CANCELLED at once, with its reason and times", async () => {
    const { clock, store, handle } = await triggered();
    clock.advance(500);
    const info = await handle.cancel({ reason: "duplicate order" });
    const now = new Date(clock.now()).toISOString();
    expect(info).toMatchObject({ status: "CANCELLED", cancelReason: "duplicate order", cancelRequestedAt: now, finishedAt: now });
    expect(info).not.toHaveProperty("visibleAt");
    expect(await handle.get()).toEqual(info);
    expect(JSON.parse(JSON.stringify(info))).toEqual(info);
    await expect(claimOne(store, "approvals")).rejects.toThrow(/no visible run/);
  });

  it("ends a PAUSED run CANCELLED at once, keeping its steps", async () => {
    const { store, handle } = await triggered();
    const claimed = await claimOne(store, "approvals");
    await store.saveStep({ runId: claimed.runId, leaseToken: claimed.leaseToken, stepId: "draft", output: 1 });
    await store.pauseRun({ runId: claimed.runId, leaseToken: claimed.leaseToken, delayMs: 60_000 });
    const info = await handle.cancel();
    expect(info.status).toBe("CANCELLED");
    expect(info).not.toHaveProperty("cancelReason");
    expect(info.steps.map((step) => step.id)).toEqual(["draft"]);
  });

  it("records the request on a RUNNING run, which stays RUNNING until its worker acknowledges", async () => {
    const { clock, store, handle } = await triggered();
    const claimed = await claimOne(store, "approvals");
    clock.advance(100);
    const info = await handle.cancel({ reason: "stop" });
    expect(info).toMatchObject({ status: "RUNNING", cancelReason: "stop", cancelRequestedAt: new Date(clock.now()).toISOString() });
    expect(info).not.toHaveProperty("finishedAt");
    await store.acknowledgeCancel({ runId: claimed.runId, leaseToken: claimed.leaseToken });
    expect((await handle.get()).status).toBe("CANCELLED");
  });

  it("returns a CANCELLED run unchanged and refuses a SUCCESS run", async () => {
    const { store, handle } = await triggered();
    const first = await handle.cancel({ reason: "once" });
    expect(await handle.cancel({ reason: "twice" })).toEqual(first);

    const other = await workflow("approvals").trigger({ order: 8 }).execute(store);
    const claimed = await claimOne(store, "approvals");
    await store.completeRun({ runId: claimed.runId, leaseToken: claimed.leaseToken, output: "done" });
    const error = await caught(run().status(other).store(store).cancel());
    expect(InvalidRunStateError.isInstance(error)).toBe(true);
    expect((await run().status(other).store(store).get()).status).toBe("SUCCESS");
  });

  it("refuses a reason that is not a string, writing nothing", async () => {
    const { handle } = await triggered();
    const error = await caught(handle.cancel({ reason: 5 as unknown as string }));
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as ConfigurationError).option).toBe("reason");
    expect((await handle.get()).status).toBe("QUEUED");
  });
});

describe("result() of a cancelled run", () => {
  it("throws RunCancelledError with the reason for a run that is already CANCELLED", async () => {
    const { message, handle } = await triggered();
    await handle.cancel({ reason: "too late" });
    const error = await caught(handle.result());
    expect(RunCancelledError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ runId: message.runId, reason: "too late" });
  });

  it("is woken by the run-changed event when a waiting run is cancelled", async () => {
    vi.useFakeTimers();
    const { store, message } = await triggered();
    const tracked = trackSubscriptions(store);
    let settled = false;
    const result = caught(run().status(message).store(tracked.store).result()).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(tracked.calls).toEqual(["subscribe", "getRun"]);
    await run().status(message).store(store).cancel({ reason: "operator" });
    // No fake time passes: only the store's event can wake the waiter.
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(true);
    const error = await result;
    expect(RunCancelledError.isInstance(error)).toBe(true);
    expect((error as RunCancelledError).reason).toBe("operator");
    expect(tracked.open()).toBe(0);
  });
});
