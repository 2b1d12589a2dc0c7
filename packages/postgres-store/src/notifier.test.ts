import type { StoreEvent } from "@pgqrs/core/storage";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseEvent } from "./events";
import { createNotifier } from "./notifier";

const changed = (runId: string): StoreEvent => ({ type: "run-changed", runId, status: "SUCCESS" });

/** A `send` whose calls stay pending until released, recording each batch as events. */
function controlledSend() {
  const batches: StoreEvent[][] = [];
  const pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
  return {
    batches,
    inFlight: () => pending.length,
    send(payloads: string[]): Promise<void> {
      batches.push(payloads.map((payload) => parseEvent(payload) ?? { type: "enqueued", workflow: "unparsable" }));
      return new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
    },
    finish(error?: Error): void {
      const next = pending.shift();
      if (!next) throw new Error("no send in flight");
      if (error) next.reject(error);
      else next.resolve();
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  expect(vi.getTimerCount()).toBe(0);
  vi.useRealTimers();
});

describe("notifier", () => {
  it("sends the events of one window in one statement, each payload once", async () => {
    const send = controlledSend();
    const notifier = createNotifier({ send: send.send, logger: { warn: () => undefined }, delayMs: 2, maxBatch: 100 });
    notifier.publish([changed("1")]);
    notifier.publish([changed("2"), { type: "enqueued", workflow: "w" }]);
    notifier.publish([changed("1")]);
    expect(send.batches).toEqual([]);

    await vi.advanceTimersByTimeAsync(2);
    expect(send.batches).toEqual([[changed("1"), changed("2"), { type: "enqueued", workflow: "w" }]]);
    send.finish();
    await notifier.close();
  });

  it("never has two batches in flight: what arrives meanwhile goes out as soon as the first returns", async () => {
    const send = controlledSend();
    const notifier = createNotifier({ send: send.send, logger: { warn: () => undefined }, delayMs: 2, maxBatch: 100 });
    notifier.publish([changed("1")]);
    await vi.advanceTimersByTimeAsync(2);
    notifier.publish([changed("2")]);
    notifier.publish([changed("3")]);
    await vi.advanceTimersByTimeAsync(100);
    expect(send.batches).toHaveLength(1);
    expect(send.inFlight()).toBe(1);

    send.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(send.batches).toEqual([[changed("1")], [changed("2"), changed("3")]]);
    send.finish();
    await notifier.close();
  });

  it("sends a full batch at once, without waiting for its window", async () => {
    const send = controlledSend();
    const notifier = createNotifier({ send: send.send, logger: { warn: () => undefined }, delayMs: 1_000, maxBatch: 3 });
    notifier.publish([changed("1"), changed("2")]);
    expect(send.batches).toEqual([]);
    notifier.publish([changed("3")]);
    expect(send.batches).toEqual([[changed("1"), changed("2"), changed("3")]]);
    send.finish();
    await notifier.close();
  });

  it("logs a failed batch and keeps publishing later ones", async () => {
    const send = controlledSend();
    const warnings: unknown[] = [];
    const notifier = createNotifier({ send: send.send, logger: { warn: (object) => warnings.push(object) }, delayMs: 2, maxBatch: 100 });
    notifier.publish([changed("1")]);
    await vi.advanceTimersByTimeAsync(2);
    const lost = new Error("connection terminated");
    send.finish(lost);
    await vi.advanceTimersByTimeAsync(0);
    expect(warnings).toEqual([{ err: lost }]);

    notifier.publish([changed("2")]);
    await vi.advanceTimersByTimeAsync(2);
    expect(send.batches).toEqual([[changed("1")], [changed("2")]]);
    send.finish();
    await notifier.close();
  });

  it("close() sends what is queued without waiting out the window, and waits for every batch", async () => {
    const send = controlledSend();
    const notifier = createNotifier({ send: send.send, logger: { warn: () => undefined }, delayMs: 1_000, maxBatch: 100 });
    notifier.publish([changed("1")]);
    let closed = false;
    const closing = notifier.close().then(() => (closed = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(send.batches).toEqual([[changed("1")]]);
    expect(closed).toBe(false);

    // Published while closing: sent right after the batch in flight, and close() waits for it too.
    notifier.publish([changed("2")]);
    send.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(send.batches).toEqual([[changed("1")], [changed("2")]]);
    expect(closed).toBe(false);
    send.finish();
    await closing;
    expect(closed).toBe(true);

    notifier.publish([changed("3")]);
    expect(send.batches).toHaveLength(3);
    send.finish();
    await notifier.close();
  });
});
