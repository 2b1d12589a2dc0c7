import { PgqrsError } from "./pgqrs-error";

/**
 * The run used up its workflow's attempts on failures counted on the run, the last of them a delivery whose
 * worker stopped without finishing it (its lease expired): the run ends ERROR instead of crashing workers
 * forever.
 */
export class LeaseExpiredError extends PgqrsError {
  static override readonly code = "LEASE_EXPIRED" as const;
  readonly runId: string;
  /** Failures counted on the run (crashes and errors outside steps). */
  readonly failures: number;
  readonly maxAttempts: number;

  constructor(options: { runId: string; failures: number; maxAttempts: number }) {
    super("LEASE_EXPIRED", {
      message: `the worker stopped without finishing run ${options.runId} (its lease expired); that makes ${options.failures} failures counted on the run, reaching retry.maxAttempts (${options.maxAttempts}). Look for worker crashes (out of memory, kill -9) while it ran, fix them, then retry the run`,
    });
    this.runId = options.runId;
    this.failures = options.failures;
    this.maxAttempts = options.maxAttempts;
  }
}
