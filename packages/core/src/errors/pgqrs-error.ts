const marker = Symbol.for("pgqrs.error");

/** Every code a {@link PgqrsError} can carry. */
export type PgqrsErrorCode =
  | "TRANSIENT"
  | "PERMANENT"
  | "PAUSE_REQUESTED"
  | "INVALID_NAME"
  | "UNKNOWN_WORKFLOW"
  | "NOT_JSON"
  | "INVALID_INPUT"
  | "INVALID_OUTPUT"
  | "DUPLICATE_STEP"
  | "CONCURRENT_STEP"
  | "CONFIGURATION"
  | "CONNECTION"
  | "RUN_NOT_FOUND"
  | "INVALID_RUN_STATE"
  | "INCOMPATIBLE_STORE"
  | "PAYLOAD_TOO_LARGE"
  | "LEASE_LOST"
  | "LEASE_EXPIRED"
  | "RUN_FAILED"
  | "WAIT_TIMEOUT"
  | "EVENT_TIMEOUT"
  | "RUN_CANCELLED"
  | "WORKER_STOPPING"
  | "MIGRATION";

export interface PgqrsErrorOptions {
  message: string;
  cause?: unknown;
}

/**
 * Base of every error pgqrs throws. Recognise it with {@link PgqrsError.isInstance} (or a subclass's
 * `isInstance`), never `instanceof`: two copies of `@pgqrs/core` in one process each have their own class.
 */
export class PgqrsError extends Error {
  /** Subclasses set this; `isInstance` on a subclass matches on it. */
  static readonly code: PgqrsErrorCode | undefined = undefined;
  readonly [marker] = true;
  readonly code: PgqrsErrorCode;

  constructor(code: PgqrsErrorCode, options: PgqrsErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }

  /** True for any pgqrs error (on `PgqrsError`) or for this subclass's code (on a subclass), across package copies. */
  static isInstance<T extends PgqrsError>(
    this: (abstract new (...args: never[]) => T) & { readonly code: PgqrsErrorCode | undefined },
    error: unknown,
  ): error is T {
    if (typeof error !== "object" || error === null || !(marker in error)) return false;
    return this.code === undefined || (error as { code?: unknown }).code === this.code;
  }
}
