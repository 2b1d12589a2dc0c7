import type { StoredError } from "../storage/types";
import { PgqrsError } from "./pgqrs-error";

/** `result()` of a run that ended ERROR; `error` is the stored error. */
export class RunFailedError extends PgqrsError {
  static override readonly code = "RUN_FAILED" as const;
  readonly runId: string;
  readonly error: StoredError;

  constructor(options: { runId: string; error: StoredError }) {
    super("RUN_FAILED", {
      message: `run ${options.runId} ended ERROR after attempt ${options.error.attempt}: ${options.error.name}: ${options.error.message}`,
    });
    this.runId = options.runId;
    this.error = options.error;
  }
}
