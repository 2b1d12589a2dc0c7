import { PgqrsError } from "./pgqrs-error";

/** The worker's lease on the run is no longer current (it expired and another worker claimed it); the write was refused. */
export class LeaseLostError extends PgqrsError {
  static override readonly code = "LEASE_LOST" as const;
  readonly runId: string;

  constructor(options: { runId: string; message?: string }) {
    super("LEASE_LOST", {
      message: options.message ?? `lease on run ${options.runId} is no longer held by this worker; nothing was written and another worker owns the run`,
    });
    this.runId = options.runId;
  }
}
