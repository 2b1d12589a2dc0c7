import type { StoreEvent } from "@pgqrs/core/storage";
import { eventPayload } from "./events";
import type { StoreLogger } from "./logger";

/** Publishes store events after the writes they announce have committed, a batch per statement. */
export interface Notifier {
  /** Queues `events` for the next batch; never throws, never waits. */
  publish(events: readonly StoreEvent[]): void;
  /** Sends everything queued (and waits for a batch in flight); later events go out at once. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link createNotifier}. */
export interface NotifierOptions {
  /** Sends one batch of NOTIFY payloads, in one statement outside any write transaction. */
  send(payloads: string[]): Promise<void>;
  logger: StoreLogger;
  /**
   * How long an event waits for others to share its statement when no batch is in flight. Events queued while a
   * batch is in flight go out as soon as it returns.
   */
  delayMs: number;
  /**
   * Send at once when this many events are queued, window or not. It bounds a batch when timers cannot fire: an
   * embedded PGlite answers every query in microtasks, so a busy worker can keep the event loop from reaching them.
   */
  maxBatch: number;
}

/**
 * Coalesces events into one NOTIFY statement at a time. A write publishes its events only after it returned (so after
 * its commit), and this never sends two batches at once, so under load one statement carries the events of every
 * write that finished during the previous one. Events are hints: a batch that fails is logged and dropped, and
 * waiters fall back to polling. Duplicates within a batch go out once.
 */
export function createNotifier(options: NotifierOptions): Notifier {
  let queued = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | undefined;
  let closed = false;

  const sendQueued = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (inFlight !== undefined || queued.size === 0) return;
    const batch = [...queued];
    queued = new Set();
    inFlight = options
      .send(batch)
      .catch((error: unknown) => {
        options.logger.warn({ err: error }, "pgqrs: publishing store events failed; subscribers fall back to polling");
      })
      .finally(() => {
        inFlight = undefined;
        // What queued up during this round trip has waited long enough.
        sendQueued();
      });
  };

  return {
    publish(events) {
      if (events.length === 0) return;
      for (const event of events) queued.add(eventPayload(event));
      if (closed || queued.size >= options.maxBatch) sendQueued();
      else if (timer === undefined && inFlight === undefined) timer = setTimeout(sendQueued, options.delayMs);
    },
    async close() {
      closed = true;
      sendQueued();
      while (inFlight !== undefined) await inFlight;
    },
  };
}
