import type { StoreEvent, Subscription } from "@pgqrs/core/storage";
import { afterEach, expect, vi } from "vitest";
import type { SuiteContext } from "./harness";

/** Why a notify test was skipped. */
export const notifySkip = "the store does not declare capabilities.notify";

/** Waits (by polling the recorded events, not by sleeping a fixed time) until `predicate` holds. */
export async function waitForStoreEvent(events: StoreEvent[], predicate: (event: StoreEvent) => boolean): Promise<StoreEvent> {
  return vi.waitFor(
    () => {
      const found = events.find(predicate);
      expect(found, `expected an event; saw ${JSON.stringify(events)}`).toBeDefined();
      return found as StoreEvent;
    },
    { timeout: 5_000, interval: 5 },
  );
}

/**
 * Returns a `record()` that subscribes to the store and collects every event it delivers. Call it inside a
 * `describe`: it registers the `afterEach` that closes the subscriptions of each test.
 */
export function createEventRecorder(context: SuiteContext): () => Promise<StoreEvent[]> {
  const open: Subscription[] = [];
  afterEach(async () => {
    for (const subscription of open.splice(0)) await subscription.close();
  });
  return async () => {
    const events: StoreEvent[] = [];
    const subscribe = context.store.subscribe;
    if (subscribe === undefined) throw new Error("capabilities.notify is true but subscribe is missing");
    open.push(await subscribe.call(context.store, { onEvent: (event) => events.push(event) }));
    return events;
  };
}
