import type { StoreEvent, Subscription } from "@pgqrs/core/storage";
import { afterEach, describe, expect, it } from "vitest";
import { sampleError, type SuiteContext } from "../harness";
import { notifySkip, waitForStoreEvent } from "../store-events";

/** `subscribe`: events after the change is visible, and `close` stops them. */
export function describeNotify(context: SuiteContext): void {
  describe("notify", () => {
    const open: Subscription[] = [];
    afterEach(async () => {
      for (const subscription of open.splice(0)) await subscription.close();
    });

    /** Subscribes, recording every event with what a reader saw when it arrived. */
    async function record(): Promise<{ events: StoreEvent[]; reads: Promise<{ event: StoreEvent; status: string | null }>[] }> {
      const events: StoreEvent[] = [];
      const reads: Promise<{ event: StoreEvent; status: string | null }>[] = [];
      const subscribe = context.store.subscribe;
      if (subscribe === undefined) throw new Error("capabilities.notify is true but subscribe is missing");
      const subscription = await subscribe.call(context.store, {
        onEvent: (event) => {
          events.push(event);
          if (event.type === "run-changed") {
            reads.push(context.store.getRun({ runId: event.runId }).then((run) => ({ event, status: run?.status ?? null })));
          }
        },
      });
      open.push(subscription);
      return { events, reads };
    }

    it("notify: a store declaring notify has subscribe", async () => {
      expect(typeof context.store.capabilities.notify).toBe("boolean");
      if (context.store.capabilities.notify) expect(typeof context.store.subscribe).toBe("function");
    });

    it("notify: enqueue of a message visible at once publishes enqueued for its workflow", async ({ skip }) => {
      if (!context.store.capabilities.notify) return skip(notifySkip);
      const workflow = await context.newWorkflow();
      const { events } = await record();
      await context.enqueue(workflow);
      await waitForStoreEvent(events, (event) => event.type === "enqueued" && event.workflow === workflow);
    });

    it("notify: completeRun publishes run-changed SUCCESS, readable when it arrives", async ({ skip }) => {
      if (!context.store.capabilities.notify) return skip(notifySkip);
      const { claim } = await context.startRun();
      const { events, reads } = await record();
      await context.store.completeRun({ runId: claim.runId, leaseToken: claim.leaseToken, output: 1 });
      await waitForStoreEvent(events, (event) => event.type === "run-changed" && event.runId === claim.runId && event.status === "SUCCESS");
      for (const read of await Promise.all(reads)) {
        if (read.event.type === "run-changed" && read.event.runId === claim.runId) expect(read.status).toBe("SUCCESS");
      }
    });

    it("notify: failRun publishes run-changed ERROR", async ({ skip }) => {
      if (!context.store.capabilities.notify) return skip(notifySkip);
      const { claim } = await context.startRun();
      const { events } = await record();
      await context.store.failRun({ runId: claim.runId, leaseToken: claim.leaseToken, error: sampleError() });
      await waitForStoreEvent(events, (event) => event.type === "run-changed" && event.runId === claim.runId && event.status === "ERROR");
    });

    it("notify: pauseRun publishes run-changed PAUSED and retryRun run-changed QUEUED", async ({ skip }) => {
      if (!context.store.capabilities.notify) return skip(notifySkip);
      const { workflow, claim } = await context.startRun();
      const { events } = await record();
      await context.store.pauseRun({ runId: claim.runId, leaseToken: claim.leaseToken, delayMs: 0 });
      await waitForStoreEvent(events, (event) => event.type === "run-changed" && event.runId === claim.runId && event.status === "PAUSED");
      const again = await context.claimOne(workflow);
      await context.store.retryRun({ runId: again.runId, leaseToken: again.leaseToken, error: sampleError(), delayMs: 60_000 });
      await waitForStoreEvent(events, (event) => event.type === "run-changed" && event.runId === claim.runId && event.status === "QUEUED");
    });

    it("notify: releaseRun publishes enqueued for the run's workflow", async ({ skip }) => {
      if (!context.store.capabilities.notify) return skip(notifySkip);
      const { workflow, claim } = await context.startRun();
      const { events } = await record();
      await context.store.releaseRun({ runId: claim.runId, leaseToken: claim.leaseToken });
      await waitForStoreEvent(events, (event) => event.type === "enqueued" && event.workflow === workflow);
    });

    it("notify: after close no more events are delivered", async ({ skip }) => {
      if (!context.store.capabilities.notify) return skip(notifySkip);
      const workflow = await context.newWorkflow();
      const closed = await record();
      const still = await record();
      const subscription = open.shift();
      await subscription?.close();
      await context.enqueue(workflow);
      // The open subscription is the witness that the events were sent; the closed one must not have them.
      await waitForStoreEvent(still.events, (event) => event.type === "enqueued" && event.workflow === workflow);
      expect(closed.events.filter((event) => event.type === "enqueued" && event.workflow === workflow)).toEqual([]);
    });
  });
}
