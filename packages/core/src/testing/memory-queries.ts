import { InvalidRunStateError } from "../errors/invalid-run-state-error";
import { RunNotFoundError } from "../errors/run-not-found-error";
import { runStatuses, type RunCounts, type RunPage, type RunRecord, type RunStatus, type WorkerRecord } from "../storage/types";
import { requeue } from "./memory-deliveries";
import { compareIds, now, publish, toRunRecord, type MemoryState, type RunEntry } from "./memory-state";

/** Newest first: by creation time, then id, both descending. */
function newestFirst(left: { createdAt: Date; runId: string }, right: { createdAt: Date; runId: string }): number {
  return right.createdAt.getTime() - left.createdAt.getTime() || compareIds(right.runId, left.runId);
}

function encodeCursor(run: RunEntry): string {
  return `${run.createdAt.getTime()}:${run.runId}`;
}

function decodeCursor(cursor: string): { createdAt: Date; runId: string } {
  const match = /^(-?\d+):(\d+)$/.exec(cursor);
  if (match === null || match[1] === undefined || match[2] === undefined) {
    throw new TypeError(`listRuns: "${cursor}" is not a cursor this store returned; pass a nextCursor back unchanged`);
  }
  return { createdAt: new Date(Number(match[1])), runId: match[2] };
}

/** See `WorkflowStore.listRuns`. The cursor is the last run's position, so runs enqueued meanwhile never shift a page. */
export function listRuns(
  state: MemoryState,
  args: { workflow?: string; status?: RunStatus; limit?: number; cursor?: string },
): RunPage {
  const limit = Math.max(1, Math.floor(args.limit ?? 50));
  const after = args.cursor === undefined ? null : decodeCursor(args.cursor);
  const matching = [...state.runs.values()]
    .filter((run) => args.workflow === undefined || run.workflow === args.workflow)
    .filter((run) => args.status === undefined || run.status === args.status)
    .filter((run) => after === null || newestFirst(after, run) < 0)
    .sort(newestFirst);
  const page = matching.slice(0, limit);
  const last = page.at(-1);
  return {
    runs: page.map(toRunRecord),
    nextCursor: matching.length > limit && last !== undefined ? encodeCursor(last) : null,
  };
}

function requireRun(state: MemoryState, runId: string): RunEntry {
  const run = state.runs.get(runId);
  if (run === undefined) throw new RunNotFoundError(runId);
  return run;
}

/** See `WorkflowStore.resumeRun`. */
export function resumeRun(state: MemoryState, args: { runId: string }): RunRecord {
  const run = requireRun(state, args.runId);
  if (run.status !== "PAUSED") {
    throw new InvalidRunStateError({
      runId: run.runId,
      status: run.status,
      message: `run "${run.runId}" is ${run.status}, not PAUSED; only a paused run can be resumed`,
    });
  }
  run.visibleAt = now(state);
  publish(state, { type: "enqueued", workflow: run.workflow });
  return toRunRecord(run);
}

/** See `WorkflowStore.retryFailedRun`. The memory store un-archives the run's own message. */
export function retryFailedRun(state: MemoryState, args: { runId: string }): RunRecord {
  const run = requireRun(state, args.runId);
  if (run.status !== "ERROR") {
    throw new InvalidRunStateError({
      runId: run.runId,
      status: run.status,
      message: `run "${run.runId}" is ${run.status}, not ERROR; only a failed run can be retried`,
    });
  }
  const message = state.messages.get(run.messageId);
  if (message !== undefined) message.archived = false;
  run.runFailures = 0;
  run.stepFailures = {};
  run.finishedAt = null;
  // A cancel requested while the failed delivery ran is history now; it must not cancel the new one.
  run.cancelRequestedAt = null;
  run.cancelReason = null;
  requeue(state, run, now(state));
  return toRunRecord(run);
}

/** See `WorkflowStore.countRuns`. */
export function countRuns(state: MemoryState, args: { workflow?: string }): RunCounts {
  const at = now(state).getTime();
  const byStatus = Object.fromEntries(runStatuses.map((status) => [status, 0])) as Record<RunStatus, number>;
  let visibleQueued = 0;
  let oldest: number | null = null;
  for (const run of state.runs.values()) {
    if (args.workflow !== undefined && run.workflow !== args.workflow) continue;
    byStatus[run.status] = (byStatus[run.status] ?? 0) + 1;
    const visibleAt = run.visibleAt?.getTime();
    if (run.status === "QUEUED" && visibleAt !== undefined && visibleAt <= at) {
      visibleQueued += 1;
      oldest = oldest === null ? visibleAt : Math.min(oldest, visibleAt);
    }
  }
  return { byStatus, visibleQueued, oldestQueuedAt: oldest === null ? null : new Date(oldest) };
}

/** See `WorkflowStore.listWorkers`. */
export function listWorkers(state: MemoryState, args: { limit?: number }): WorkerRecord[] {
  return [...state.workers.values()]
    .sort((left, right) => right.lastSeenAt.getTime() - left.lastSeenAt.getTime() || compareIds(right.workerId, left.workerId))
    .slice(0, Math.max(0, Math.floor(args.limit ?? 100)))
    .map((worker) => structuredClone(worker));
}
