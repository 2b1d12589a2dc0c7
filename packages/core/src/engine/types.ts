import type { ClaimedRun, StoredError } from "../storage/types";
import type { WorkflowStore } from "../storage/workflow-store";
import type { AnyWorkflowDefinition, Logger, WorkflowHandler } from "../workflow/types";

/** How one attempt of a run ended. */
export type RunOutcome =
  | { status: "SUCCESS" }
  | { status: "ERROR"; error: StoredError }
  | { status: "QUEUED"; error: StoredError; delayMs: number }
  | { status: "PAUSED"; reason: string | undefined }
  /** The run was cancelled: ended CANCELLED with `acknowledgeCancel`. */
  | { status: "CANCELLED" }
  /** The lease was lost (another worker owns the run now); nothing more was written. */
  | { status: "LEASE_LOST" }
  /** The worker is stopping; the run was handed back with `releaseRun`. */
  | { status: "RELEASED" };

/** A step that ran (or replayed) during an attempt, for metrics. */
export interface StepEvent {
  runId: string;
  stepId: string;
  durationMs: number;
  /** True when the output came from the store and `fn` was not called. */
  replayed: boolean;
  ok: boolean;
}

/** Options of `executeRun`: one claimed run, its definition and handler, and the store to record the outcome in. */
export interface ExecuteRunOptions {
  store: WorkflowStore;
  run: ClaimedRun;
  workflow: AnyWorkflowDefinition;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- handlers of any definition run here
  handler: WorkflowHandler<any, any>;
  /**
   * Aborted by the worker on lease loss (reason `LeaseLostError`: nothing more is written) or shutdown (reason
   * `WorkerStoppingError`, or any other reason: the run is released, not failed) or cancel (reason
   * `RunCancelledError`: the run ends CANCELLED). `ctx.signal` follows it.
   */
  signal?: AbortSignal;
  /** Gets `{ runId, workflow, attempt, stepId? }` objects, never params or outputs. @default silent */
  logger?: Logger;
  /** Limit for step and run outputs. @default 1048576 (1 MiB) */
  maxPayloadBytes?: number;
  /** Random source for jitter, in [0, 1). @default Math.random */
  random?: () => number;
  /**
   * Monotonic milliseconds for step durations, and for the store clock of durable timers: `ctx.sleep` and
   * `ctx.waitForEvent` take "now" as the run's `claimedAt` plus the time elapsed on this clock since the
   * attempt started. @default performance.now
   */
  now?: () => number;
  onStep?: (event: StepEvent) => void;
  /**
   * Called once when the handler is no longer running (it returned, threw, or was never called), before the outcome
   * is written. A worker counts the slot free from then on, so its next claim overlaps that write. Not called for a
   * handler still running when the attempt was stopped (shutdown, lease lost, cancel) until it does settle.
   */
  onHandlerSettled?: () => void;
}
