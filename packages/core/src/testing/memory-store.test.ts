import { describe, expect, it } from "vitest";
import { createFakeClock } from "./fake-clock";
import { createMemoryStore } from "./memory-store";

// The behaviour every store shares is covered by @pgqrs/store-conformance; these tests cover what only the
// memory store promises.
describe("createMemoryStore", () => {
  it("declares the v1 contract, its name and notify", () => {
    const store = createMemoryStore({ name: "custom" });
    expect(store.specVersion).toBe("v1");
    expect(store.name).toBe("custom");
    expect(createMemoryStore().name).toBe("memory");
    expect(store.capabilities).toEqual({ notify: true });
  });

  it("reads time from the injected clock and exposes it", async () => {
    const clock = createFakeClock({ start: new Date("2030-01-01T00:00:00.000Z") });
    const store = createMemoryStore({ clock });
    expect(store.clock).toBe(clock);
    await store.createWorkflow({ name: "w" });
    clock.advance(5_000);
    const { message } = await store.enqueue({ workflow: "w", input: null, delayMs: 1_000 });
    expect(message.createdAt.toISOString()).toBe("2030-01-01T00:00:05.000Z");
    expect(message.visibleAt.toISOString()).toBe("2030-01-01T00:00:06.000Z");
  });

  it("uses the injected lease token factory and increasing decimal ids", async () => {
    let counter = 0;
    const store = createMemoryStore({ clock: createFakeClock(), createLeaseToken: () => `token-${(counter += 1)}` });
    await store.createWorkflow({ name: "w" });
    const first = await store.enqueue({ workflow: "w", input: 1 });
    const second = await store.enqueue({ workflow: "w", input: 2 });
    expect(BigInt(second.message.id)).toBeGreaterThan(BigInt(first.message.id));
    expect(BigInt(second.message.runId)).toBeGreaterThan(BigInt(first.message.runId));
    const { workerId } = await store.registerWorker({ name: "a", workflow: "w" });
    const claimed = await store.claimRuns({ workerId, workflow: "w", limit: 2, leaseMs: 1_000 });
    expect(claimed.map((claim) => claim.leaseToken)).toEqual(["token-1", "token-2"]);
  });

  it("delivers events in a microtask, never inside the call, and close() ends every subscription", async () => {
    const store = createMemoryStore({ clock: createFakeClock() });
    await store.createWorkflow({ name: "w" });
    const events: unknown[] = [];
    await store.subscribe({ onEvent: (event) => events.push(event) });
    const pending = store.enqueue({ workflow: "w", input: 1 });
    expect(events).toEqual([]);
    await pending;
    await Promise.resolve();
    expect(events).toEqual([{ type: "enqueued", workflow: "w" }]);
    await store.close();
    await store.close();
    await store.enqueue({ workflow: "w", input: 2 });
    await Promise.resolve();
    expect(events).toHaveLength(1);
  });
});
