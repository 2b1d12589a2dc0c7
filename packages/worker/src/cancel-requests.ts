import { RunCancelledError, type Logger, type WorkflowStore } from "@pgqrs/core";
import type { Lease } from "@pgqrs/core/storage";
import type { RunSlots } from "./run-slots";

/** Options of {@link createCancelRequests}. */
export interface CancelRequestsOptions {
  store: WorkflowStore;
  slots: RunSlots;
  logger: Logger;
}

/**
 * Turns a cancel request the heartbeat heard of into an aborted `ctx.signal`, whose reason is a
 * `RunCancelledError` carrying the operator's reason. The engine then ends the run CANCELLED at its next step
 * boundary (`acknowledgeCancel`); the worker writes nothing itself.
 *
 * The request reaches the worker as a bare run id, so the reason is read with `getRun`; when that read fails the
 * run is cancelled all the same, without a reason (the stored record keeps it). A run already aborted (for a
 * stop, a lost lease or an earlier request) is left as it is, and a request is handled once however many beats
 * repeat it.
 */
export function createCancelRequests(options: CancelRequestsOptions): (lease: Lease) => void {
  const { store, slots, logger } = options;
  // Lease tokens whose reason is being read; the next beat may repeat the request meanwhile.
  const reading = new Set<string>();

  const readReason = async (runId: string): Promise<string | null> => {
    try {
      return (await store.getRun({ runId }))?.cancelReason ?? null;
    } catch (error) {
      logger.warn({ err: error, runId }, "pgqrs worker: reading a cancelled run's reason failed; cancelling it without one");
      return null;
    }
  };

  return (lease) => {
    if (!slots.isRunning(lease) || reading.has(lease.leaseToken)) return;
    reading.add(lease.leaseToken);
    void readReason(lease.runId)
      .then((reason) => {
        if (!slots.isRunning(lease)) return;
        logger.info({ runId: lease.runId }, "pgqrs worker: cancel requested; aborting the run, which ends CANCELLED at its next step boundary");
        slots.abort(lease, new RunCancelledError({ runId: lease.runId, reason }));
      })
      .finally(() => reading.delete(lease.leaseToken));
  };
}
