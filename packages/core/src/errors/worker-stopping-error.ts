import { PgqrsError } from "./pgqrs-error";

/** The reason `ctx.signal` aborts when the worker shuts down; the run is released, not failed. */
export class WorkerStoppingError extends PgqrsError {
  static override readonly code = "WORKER_STOPPING" as const;
  constructor() {
    super("WORKER_STOPPING", { message: "the worker is shutting down; the run is released for another worker" });
  }
}
