import { PgqrsError } from "./pgqrs-error";

/** `ctx.step` was called while another step of the same run was still running. */
export class ConcurrentStepError extends PgqrsError {
  static override readonly code = "CONCURRENT_STEP" as const;
  readonly runId: string;
  readonly stepId: string;
  readonly runningStepId: string;

  constructor(options: { runId: string; stepId: string; runningStepId: string }) {
    super("CONCURRENT_STEP", {
      message: `step "${options.stepId}" started while step "${options.runningStepId}" of run ${options.runId} was still running; await each ctx.step before the next`,
    });
    this.runId = options.runId;
    this.stepId = options.stepId;
    this.runningStepId = options.runningStepId;
  }
}
