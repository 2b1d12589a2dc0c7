import type { ClaimedRun } from "../storage/types";
import type { WorkflowStore } from "../storage/workflow-store";
import type { AnyWorkflowDefinition, Logger } from "../workflow/types";
import type { AttemptState } from "./attempt-state";
import type { StepEvent } from "./types";

/** What the `ctx` of one attempt needs: built by `executeRun`, read by every kind of step. */
export interface ContextOptions {
  store: WorkflowStore;
  run: ClaimedRun;
  workflow: AnyWorkflowDefinition;
  state: AttemptState;
  /** Aborted on lease loss, shutdown or cancel; the engine aborts it on a refused or cancelled step write. */
  controller: AbortController;
  logger: Logger;
  maxPayloadBytes: number;
  /** Monotonic milliseconds, for step durations. */
  now: () => number;
  /**
   * The store's clock in epoch milliseconds (whole): the run's `claimedAt` plus the monotonic time elapsed
   * since the attempt started. Durable timers compare their stored deadlines against it.
   */
  storeNow: () => number;
  onStep: (event: StepEvent) => void;
}
