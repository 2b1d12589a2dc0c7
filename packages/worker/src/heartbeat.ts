import type { Logger, WorkflowStore } from "@pgqrs/core";
import type { Lease } from "@pgqrs/core/storage";

/** Options of {@link createHeartbeat}. */
export interface HeartbeatOptions {
  store: WorkflowStore;
  workerId: string;
  leaseMs: number;
  /** Time between beats. */
  intervalMs: number;
  /** The leases held now (all in-flight runs). */
  leases(): Lease[];
  /** A lease the store did not extend: another worker owns the run, or it ended. */
  onLost(lease: Lease): void;
  /** An extended lease whose run an operator asked to cancel (`cancelRun` while RUNNING). Reported at every beat until the run ends. */
  onCancelRequested(lease: Lease): void;
  /** Whether the store answered, for the health check. */
  onStoreResult(ok: boolean): void;
  logger: Logger;
}

/** The worker's lease keeper. */
export interface Heartbeat {
  /** Starts beating every `intervalMs`. Idempotent. */
  start(): void;
  /** Stops beating and waits for a beat in progress. */
  stop(): Promise<void>;
  /** One beat now: a single `extendLeases` call for every held lease. Never rejects. */
  beat(): Promise<void>;
}

/**
 * Extends every held lease in one `extendLeases` call per interval (also when none is held, so the store
 * keeps seeing the worker alive). A lease missing from the answer is reported through `onLost`, a run the
 * store marks as cancel-requested through `onCancelRequested`; a store
 * error is logged and the next beat tries again — the lease may still hold, and if it lapsed the engine's
 * next write is refused anyway. Beats never overlap: the next is scheduled when one ends.
 */
export function createHeartbeat(options: HeartbeatOptions): Heartbeat {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let current: Promise<void> | undefined;

  const beatOnce = async (): Promise<void> => {
    const leases = options.leases();
    try {
      const { extended, cancelRequested } = await options.store.extendLeases({ workerId: options.workerId, leaseMs: options.leaseMs, leases });
      options.onStoreResult(true);
      const kept = new Set(extended);
      const cancelled = new Set(cancelRequested);
      for (const lease of leases) {
        if (!kept.has(lease.runId)) options.onLost(lease);
        else if (cancelled.has(lease.runId)) options.onCancelRequested(lease);
      }
    } catch (error) {
      options.onStoreResult(false);
      options.logger.warn({ err: error, leases: leases.length }, "pgqrs worker: extending leases failed; retrying at the next heartbeat");
    }
  };

  const beat = (): Promise<void> => {
    current ??= beatOnce().finally(() => {
      current = undefined;
    });
    return current;
  };

  const schedule = (): void => {
    if (!running) return;
    timer = setTimeout(() => {
      timer = undefined;
      void beat().then(schedule);
    }, options.intervalMs);
    timer.unref();
  };

  return {
    start() {
      if (running) return;
      running = true;
      schedule();
    },
    async stop() {
      running = false;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await current;
    },
    beat,
  };
}
