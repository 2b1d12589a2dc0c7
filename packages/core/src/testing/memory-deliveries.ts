import type { ClaimedRun, JsonValue, Lease, StoredError } from "../storage/types";
import {
  archiveMessage,
  compareIds,
  copy,
  copyJson,
  endDelivery,
  eventKey,
  fencedRun,
  now,
  publish,
  publishRunChanged,
  toStepRecords,
  type MemoryState,
  type RunEntry,
} from "./memory-state";
import { endCancelled } from "./memory-cancel";

/** When a run became claimable: its `visibleAt`, or its lease end when its worker died. */
function claimableSince(run: RunEntry, at: number): number | null {
  if ((run.status === "QUEUED" || run.status === "PAUSED") && run.visibleAt !== null) {
    return run.visibleAt.getTime() <= at ? run.visibleAt.getTime() : null;
  }
  if (run.status === "RUNNING" && run.leaseExpiresAt !== null) {
    return run.leaseExpiresAt.getTime() <= at ? run.leaseExpiresAt.getTime() : null;
  }
  return null;
}

function touchWorker(state: MemoryState, workerId: string): void {
  const worker = state.workers.get(workerId);
  if (worker !== undefined) worker.lastSeenAt = now(state);
}

/** See `WorkflowStore.claimRuns`. */
export function claimRuns(
  state: MemoryState,
  args: { workerId: string; workflow: string; limit: number; leaseMs: number },
): ClaimedRun[] {
  const at = now(state);
  touchWorker(state, args.workerId);
  if (!(args.limit > 0)) return [];
  // An operator-paused workflow has no visible runs.
  if ((state.workflows.get(args.workflow)?.pausedAt ?? null) !== null) return [];
  const candidates: { run: RunEntry; since: number }[] = [];
  for (const run of state.runs.values()) {
    if (run.workflow !== args.workflow) continue;
    const since = claimableSince(run, at.getTime());
    if (since !== null) candidates.push({ run, since });
  }
  candidates.sort((left, right) => left.since - right.since || compareIds(left.run.runId, right.run.runId));
  return candidates.slice(0, Math.floor(args.limit)).map(({ run }) => {
    const resumedFromPause = run.status === "PAUSED";
    // A RUNNING run is only claimable when its lease lapsed: its worker crashed, which counts as a failure.
    if (run.status === "RUNNING") run.runFailures += 1;
    run.status = "RUNNING";
    run.attempt += 1;
    run.leaseToken = state.createLeaseToken();
    run.leaseExpiresAt = new Date(at.getTime() + args.leaseMs);
    run.startedAt ??= new Date(at);
    run.visibleAt = null;
    run.pauseReason = null;
    run.waitEvent = null;
    return {
      runId: run.runId,
      messageId: run.messageId,
      workflow: run.workflow,
      input: copy(run.input),
      attempt: run.attempt,
      leaseToken: run.leaseToken,
      leaseExpiresAt: new Date(run.leaseExpiresAt),
      runFailures: run.runFailures,
      stepFailures: { ...run.stepFailures },
      resumedFromPause,
      claimedAt: new Date(at),
      cancelRequested: run.cancelRequestedAt !== null,
      steps: toStepRecords(run),
    };
  });
}

/** See `WorkflowStore.extendLeases`. */
export function extendLeases(
  state: MemoryState,
  args: { workerId: string; leaseMs: number; leases: Lease[] },
): { extended: string[]; cancelRequested: string[] } {
  const at = now(state).getTime();
  touchWorker(state, args.workerId);
  const extended: string[] = [];
  const cancelRequested: string[] = [];
  for (const lease of args.leases) {
    const run = state.runs.get(lease.runId);
    if (run === undefined || run.status !== "RUNNING" || run.leaseToken !== lease.leaseToken) continue;
    run.leaseExpiresAt = new Date(at + args.leaseMs);
    if (extended.includes(run.runId)) continue;
    extended.push(run.runId);
    if (run.cancelRequestedAt !== null) cancelRequested.push(run.runId);
  }
  return { extended, cancelRequested };
}

/** See `WorkflowStore.saveStep`. */
export function saveStep(
  state: MemoryState,
  args: { runId: string; leaseToken: string; stepId: string; output: JsonValue | undefined },
): { output: JsonValue | undefined; created: boolean; cancelRequested: boolean } {
  const run = fencedRun(state, args);
  const cancelRequested = run.cancelRequestedAt !== null;
  const existing = run.steps.get(args.stepId);
  if (existing !== undefined) return { output: copyJson(existing.output), created: false, cancelRequested };
  run.steps.set(args.stepId, { stepId: args.stepId, output: copyJson(args.output), completedAt: now(state) });
  return { output: copyJson(args.output), created: true, cancelRequested };
}

/** See `WorkflowStore.completeRun`. */
export function completeRun(
  state: MemoryState,
  args: { runId: string; leaseToken: string; output: JsonValue | undefined },
): void {
  const run = fencedRun(state, args);
  run.output = copyJson(args.output);
  finish(state, run, "SUCCESS");
}

/** See `WorkflowStore.failRun`. */
export function failRun(state: MemoryState, args: { runId: string; leaseToken: string; error: StoredError }): void {
  const run = fencedRun(state, args);
  run.error = copy(args.error);
  finish(state, run, "ERROR");
}

function finish(state: MemoryState, run: RunEntry, status: "SUCCESS" | "ERROR"): void {
  endDelivery(run, status);
  run.finishedAt = now(state);
  run.visibleAt = null;
  run.pauseReason = null;
  run.waitEvent = null;
  archiveMessage(state, run);
  publishRunChanged(state, run);
}

/** See `WorkflowStore.retryRun`. */
export function retryRun(
  state: MemoryState,
  args: { runId: string; leaseToken: string; error: StoredError; delayMs: number; stepId?: string },
): void {
  const run = fencedRun(state, args);
  if (run.cancelRequestedAt !== null) return endCancelled(state, run);
  if (args.stepId === undefined) run.runFailures += 1;
  else run.stepFailures[args.stepId] = (run.stepFailures[args.stepId] ?? 0) + 1;
  run.error = copy(args.error);
  requeue(state, run, new Date(now(state).getTime() + Math.max(0, args.delayMs)));
}

/** See `WorkflowStore.pauseRun`. */
export function pauseRun(
  state: MemoryState,
  args: { runId: string; leaseToken: string; delayMs?: number; until?: Date; reason?: string; waitEvent?: string },
): void {
  const run = fencedRun(state, args);
  if (run.cancelRequestedAt !== null) return endCancelled(state, run);
  const at = now(state).getTime();
  endDelivery(run, "PAUSED");
  run.visibleAt = new Date(args.until?.getTime() ?? at + Math.max(0, args.delayMs ?? 0));
  run.pauseReason = args.reason ?? null;
  run.waitEvent = args.waitEvent ?? null;
  // The event came before the pause (while the run was RUNNING): wake now, so it is never missed.
  if (run.waitEvent !== null && state.events.has(eventKey(run.runId, run.waitEvent)) && run.visibleAt.getTime() > at) {
    run.visibleAt = new Date(at);
  }
  publishRunChanged(state, run);
  if (run.visibleAt.getTime() <= at) publish(state, { type: "enqueued", workflow: run.workflow });
}

/** See `WorkflowStore.releaseRun`. */
export function releaseRun(state: MemoryState, args: { runId: string; leaseToken: string }): void {
  const run = fencedRun(state, args);
  if (run.cancelRequestedAt !== null) return endCancelled(state, run);
  requeue(state, run, now(state));
}

/** Puts a run back to QUEUED at `visibleAt` and tells subscribers. */
export function requeue(state: MemoryState, run: RunEntry, visibleAt: Date): void {
  endDelivery(run, "QUEUED");
  run.visibleAt = visibleAt;
  run.pauseReason = null;
  run.waitEvent = null;
  publishRunChanged(state, run);
  if (visibleAt.getTime() <= now(state).getTime()) publish(state, { type: "enqueued", workflow: run.workflow });
}
