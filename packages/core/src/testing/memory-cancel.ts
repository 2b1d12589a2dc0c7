import { InvalidRunStateError } from "../errors/invalid-run-state-error";
import { RunNotFoundError } from "../errors/run-not-found-error";
import type { RunRecord } from "../storage/types";
import { archiveMessage, endDelivery, fencedRun, now, publishRunChanged, toRunRecord, type MemoryState, type RunEntry } from "./memory-state";

/**
 * Ends a run CANCELLED: final, lease cleared, message archived, `finishedAt` now. A request recorded earlier
 * (a RUNNING run's `cancelRun`) keeps its time and reason.
 */
export function endCancelled(state: MemoryState, run: RunEntry): void {
  const at = now(state);
  endDelivery(run, "CANCELLED");
  run.cancelRequestedAt ??= at;
  run.finishedAt = new Date(at);
  run.visibleAt = null;
  run.pauseReason = null;
  run.waitEvent = null;
  archiveMessage(state, run);
  publishRunChanged(state, run);
}

/** See `WorkflowStore.acknowledgeCancel`. */
export function acknowledgeCancel(state: MemoryState, args: { runId: string; leaseToken: string }): void {
  endCancelled(state, fencedRun(state, args));
}

/** See `WorkflowStore.cancelRun`. */
export function cancelRun(state: MemoryState, args: { runId: string; reason?: string }): RunRecord {
  const run = state.runs.get(args.runId);
  if (run === undefined) throw new RunNotFoundError(args.runId);
  switch (run.status) {
    case "CANCELLED":
      break;
    case "SUCCESS":
    case "ERROR":
      throw new InvalidRunStateError({
        runId: run.runId,
        status: run.status,
        message: `run "${run.runId}" is ${run.status}, already final; only a QUEUED, PAUSED or RUNNING run can be cancelled`,
      });
    case "RUNNING":
      // The worker ends it at its next step boundary or heartbeat; the first request's time and reason stay.
      run.cancelRequestedAt ??= now(state);
      run.cancelReason ??= args.reason ?? null;
      break;
    default:
      run.cancelReason = args.reason ?? null;
      endCancelled(state, run);
  }
  return toRunRecord(run);
}
