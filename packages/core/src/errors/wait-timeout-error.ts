import { PgqrsError } from "./pgqrs-error";

/** `result()` gave up waiting; the run goes on. */
export class WaitTimeoutError extends PgqrsError {
  static override readonly code = "WAIT_TIMEOUT" as const;
  readonly runId: string;
  readonly timeoutMs: number;
  readonly status: string;

  constructor(options: { runId: string; timeoutMs: number; status: string }) {
    super("WAIT_TIMEOUT", {
      message: `run ${options.runId} is still ${options.status} after ${options.timeoutMs} ms; wait longer or check it later with run().status(...).get()`,
    });
    this.runId = options.runId;
    this.timeoutMs = options.timeoutMs;
    this.status = options.status;
  }
}
