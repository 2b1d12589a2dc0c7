import type { JsonValue, RunRecord, RunStatus, StepRecord, StoredError } from "@pgqrs/core/storage";

/** A completed step as `run().get()` shows it. */
export interface RunStepInfo {
  /** The step's id. */
  id: string;
  /** When its output was stored, as an ISO 8601 string (store clock). */
  completedAt: string;
}

/**
 * A snapshot of a run. Plain JSON like {@link QueueMessage}: times are ISO 8601 strings (store clock), so
 * the snapshot can be returned from an HTTP handler as is.
 */
export interface RunInfo<TOutput = unknown> {
  runId: string;
  messageId: string;
  workflow: string;
  /** QUEUED, RUNNING, PAUSED, or final SUCCESS / ERROR / CANCELLED. Keep a default branch: more statuses may come. */
  status: RunStatus;
  /** The params as stored. */
  input: JsonValue;
  /** The handler's output, once SUCCESS (absent for a handler that returned nothing). */
  output?: TOutput;
  /** The last error: the final one when ERROR, the one being retried when QUEUED again. */
  error?: StoredError;
  /** The run's delivery number (0 before the first claim). */
  attempt: number;
  createdAt: string;
  /** First claim. */
  startedAt?: string;
  /** When the run became final: SUCCESS, ERROR or CANCELLED. */
  finishedAt?: string;
  /** When a QUEUED or PAUSED run becomes claimable. */
  visibleAt?: string;
  /** The reason given to `Step.pause` (or set by `ctx.sleep` / `ctx.waitForEvent`), while PAUSED. */
  pauseReason?: string;
  /**
   * When `cancel()` was called, as an ISO 8601 string (store clock). On a RUNNING run it means the cancel is
   * pending: the run ends CANCELLED at its next step boundary.
   */
  cancelRequestedAt?: string;
  /** The reason given to `cancel({ reason })`, if any. */
  cancelReason?: string;
  /** Completed steps in completion order. */
  steps: RunStepInfo[];
}

/** Builds the public snapshot from the store's record; absent values are left out, not `undefined`. */
export function toRunInfo<TOutput>(record: RunRecord, steps: readonly StepRecord[]): RunInfo<TOutput> {
  const info: RunInfo<TOutput> = {
    runId: record.runId,
    messageId: record.messageId,
    workflow: record.workflow,
    status: record.status,
    input: record.input,
    attempt: record.attempt,
    createdAt: record.createdAt.toISOString(),
    steps: steps.map((step) => ({ id: step.stepId, completedAt: step.completedAt.toISOString() })),
  };
  // The worker checked the output against the output schema before it was stored.
  if (record.output !== undefined) info.output = record.output as TOutput;
  if (record.error !== null) info.error = record.error;
  if (record.startedAt !== null) info.startedAt = record.startedAt.toISOString();
  if (record.finishedAt !== null) info.finishedAt = record.finishedAt.toISOString();
  if (record.visibleAt !== null) info.visibleAt = record.visibleAt.toISOString();
  if (record.pauseReason !== null) info.pauseReason = record.pauseReason;
  // Older records (or stores) may lack the cancel fields altogether; treat that as "never cancelled".
  if (record.cancelRequestedAt instanceof Date) info.cancelRequestedAt = record.cancelRequestedAt.toISOString();
  if (typeof record.cancelReason === "string") info.cancelReason = record.cancelReason;
  return info;
}
