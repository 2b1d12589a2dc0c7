import { PgqrsError } from "./pgqrs-error";

/** The run is not in a status that allows this operation (e.g. resume of a run that is not PAUSED). */
export class InvalidRunStateError extends PgqrsError {
  static override readonly code = "INVALID_RUN_STATE" as const;
  readonly runId: string;
  readonly status: string;

  constructor(options: { runId: string; status: string; message: string }) {
    super("INVALID_RUN_STATE", { message: options.message });
    this.runId = options.runId;
    this.status = options.status;
  }
}
