import { PgqrsError } from "./pgqrs-error";

/** No run has this id in the store. */
export class RunNotFoundError extends PgqrsError {
  static override readonly code = "RUN_NOT_FOUND" as const;
  readonly runId: string;

  constructor(runId: string) {
    super("RUN_NOT_FOUND", { message: `run "${runId}" not found; pass the message returned by trigger(), its runId, or { runId }` });
    this.runId = runId;
  }
}
