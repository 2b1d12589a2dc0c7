import { describe, expect, it } from "vitest";
import { InvalidNameError } from "../errors/invalid-name-error";
import { InvalidRunStateError } from "../errors/invalid-run-state-error";
import { NotJsonError } from "../errors/not-json-error";
import { RunNotFoundError } from "../errors/run-not-found-error";
import type { JsonValue, StoreEvent } from "../storage/types";
import { createFakeClock } from "./fake-clock";
import { createMemoryStore } from "./memory-store";

async function setUp() {
  const clock = createFakeClock();
  const store = createMemoryStore({ clock });
  await store.createWorkflow("w");
  const { workerId } = await store.registerWorker({ name: "worker", workflow: "w" });
  const runId = (await store.enqueue({ workflow: "w", input: null })).message.runId;
  const claim = async () => {
    const [run] = await store.claimRuns({ workerId, workflow: "w", limit: 1, leaseMs: 1_000 });
    if (run === undefined) throw new Error("nothing to claim");
    return run;
  };
  const events: StoreEvent[] = [];
  await store.subscribe({ onEvent: (event) => events.push(event) });
  return { clock, store, runId, claim, events };
}

describe("memory store: sendEvent and getEvent", () => {
  it("keeps the first payload with its send time; a second send changes nothing and says so", async () => {
    const { clock, store, runId } = await setUp();
    expect(await store.getEvent({ runId, name: "approved" })).toBeNull();
    const first = await store.sendEvent({ runId, name: "approved", payload: { by: "ada" } });
    expect(first).toEqual({ event: { runId, name: "approved", payload: { by: "ada" }, sentAt: new Date(clock.now()) }, created: true });
    clock.advance(1_000);
    expect(await store.sendEvent({ runId, name: "approved", payload: { by: "bob" } })).toEqual({ event: first.event, created: false });
    expect(await store.getEvent({ runId, name: "approved" })).toEqual(first.event);
    expect(await store.getEvent({ runId, name: "other" })).toBeNull();
  });

  it("wakes a run PAUSED for that event at once and publishes enqueued; other events only wait", async () => {
    const { store, runId, claim, events } = await setUp();
    const claimed = await claim();
    await store.pauseRun({ runId, leaseToken: claimed.leaseToken, until: new Date("9999-12-31T00:00:00.000Z"), waitEvent: "approved" });
    await store.sendEvent({ runId, name: "unrelated", payload: null });
    expect((await store.getRun({ runId }))?.visibleAt?.toISOString()).toBe("9999-12-31T00:00:00.000Z");
    await Promise.resolve();
    events.length = 0;

    const { event } = await store.sendEvent({ runId, name: "approved", payload: true });
    expect((await store.getRun({ runId }))?.visibleAt).toEqual(event.sentAt);
    await Promise.resolve();
    expect(events).toEqual([{ type: "enqueued", workflow: "w" }]);
    expect((await claim()).resumedFromPause).toBe(true);
  });

  it("makes a pause for an event that was already sent visible at once", async () => {
    const { clock, store, runId, claim } = await setUp();
    const claimed = await claim();
    await store.sendEvent({ runId, name: "approved", payload: 1 });
    await store.pauseRun({ runId, leaseToken: claimed.leaseToken, delayMs: 60_000, waitEvent: "approved" });
    expect((await store.getRun({ runId }))?.visibleAt?.getTime()).toBe(clock.now());
  });

  it("refuses an unknown run, a final run, a bad name and a non-JSON payload, writing nothing", async () => {
    const { store, runId, claim } = await setUp();
    await expect(store.sendEvent({ runId: "999", name: "approved", payload: 1 })).rejects.toThrow(RunNotFoundError);
    await expect(store.sendEvent({ runId, name: "bad name!", payload: 1 })).rejects.toThrow(InvalidNameError);
    await expect(store.sendEvent({ runId, name: "dated", payload: new Date() as unknown as JsonValue })).rejects.toThrow(NotJsonError);
    expect(await store.getEvent({ runId, name: "dated" })).toBeNull();
    await store.completeRun({ runId, leaseToken: (await claim()).leaseToken, output: null });
    await expect(store.sendEvent({ runId, name: "approved", payload: 1 })).rejects.toThrow(InvalidRunStateError);
    expect(await store.getEvent({ runId, name: "approved" })).toBeNull();
  });

  it("returns copies: changing a payload after sending or reading changes nothing stored", async () => {
    const { store, runId } = await setUp();
    const payload = { list: [1] };
    const sent = await store.sendEvent({ runId, name: "e", payload });
    payload.list.push(2);
    (sent.event.payload as { list: number[] }).list.push(3);
    expect((await store.getEvent({ runId, name: "e" }))?.payload).toEqual({ list: [1] });
  });
});
