import { PgqrsError } from "./pgqrs-error";

/** The same step id was used twice in one attempt: a code bug, so the run ends ERROR. */
export class DuplicateStepError extends PgqrsError {
  static override readonly code = "DUPLICATE_STEP" as const;
  readonly runId: string;
  readonly stepId: string;

  constructor(options: { runId: string; stepId: string }) {
    super("DUPLICATE_STEP", {
      message: `step id "${options.stepId}" was used twice in run ${options.runId}; give every ctx.step call in a handler its own id`,
    });
    this.runId = options.runId;
    this.stepId = options.stepId;
  }
}
