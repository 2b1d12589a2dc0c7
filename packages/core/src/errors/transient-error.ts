import { PgqrsError } from "./pgqrs-error";

/**
 * Throw from a step or handler for a failure worth retrying: the run goes back to QUEUED and is delivered
 * again after the retry policy's backoff (or `retryAfterMs`), resuming after its last completed step.
 */
export class TransientError extends PgqrsError {
  static override readonly code = "TRANSIENT" as const;
  /** Overrides the policy's backoff for this retry. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { cause?: unknown; retryAfterMs?: number } = {}) {
    super("TRANSIENT", { message, cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
  }
}
