import { PgqrsError } from "./pgqrs-error";

/**
 * The run was cancelled (`cancel()`). It is the reason `ctx.signal` aborts with when a RUNNING run is
 * cancelled, and what `result()` throws for a CANCELLED run.
 */
export class RunCancelledError extends PgqrsError {
  static override readonly code = "RUN_CANCELLED" as const;
  readonly runId: string;
  readonly reason: string | null;

  constructor(options: { runId: string; reason?: string | null }) {
    super("RUN_CANCELLED", {
      message: `run ${options.runId} was cancelled${options.reason ? `: ${options.reason}` : ""}`,
    });
    this.runId = options.runId;
    this.reason = options.reason ?? null;
  }
}
