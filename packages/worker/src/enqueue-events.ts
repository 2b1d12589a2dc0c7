import type { Subscription, WorkflowStore } from "@pgqrs/core/storage";
import type { Logger } from "@pgqrs/core";

/** The worker's subscription to its workflow's `enqueued` events. */
export interface EnqueueEvents {
  /** Subscribes when the store can notify and no subscription is open; a failure is logged, not thrown. */
  ensure(): Promise<void>;
  /** Ends the subscription. Idempotent. */
  close(): Promise<void>;
}

/**
 * Wakes the worker when a run of its workflow becomes visible at once. Events are hints: polling stays the
 * fallback, and a store without `capabilities.notify` is polled only.
 */
export function createEnqueueEvents(options: {
  store: WorkflowStore;
  workflow: string;
  onEnqueued(): void;
  logger: Logger;
}): EnqueueEvents {
  const { store } = options;
  let subscription: Subscription | undefined;
  let pending: Promise<void> | undefined;
  let closed = false;

  const open = async (): Promise<void> => {
    if (!store.capabilities.notify || store.subscribe === undefined) return;
    try {
      const opened = await store.subscribe({
        onEvent: (event) => {
          if (event.type === "enqueued" && event.workflow === options.workflow) options.onEnqueued();
        },
      });
      if (closed) await opened.close();
      else subscription = opened;
    } catch (error) {
      options.logger.warn({ err: error }, "pgqrs worker: could not subscribe to store events; polling only until it works");
    }
  };

  return {
    ensure() {
      if (closed || subscription !== undefined) return Promise.resolve();
      pending ??= open().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    async close() {
      closed = true;
      await pending;
      const current = subscription;
      subscription = undefined;
      try {
        await current?.close();
      } catch (error) {
        options.logger.warn({ err: error }, "pgqrs worker: closing the store event subscription failed");
      }
    },
  };
}
