import { PgqrsError } from "./pgqrs-error";

/** Throw from a step or handler for a failure no retry can fix: the run ends ERROR and its message is archived. */
export class PermanentError extends PgqrsError {
  static override readonly code = "PERMANENT" as const;
  /** JSON detail kept with the stored error. */
  readonly data: unknown;

  constructor(message: string, options: { cause?: unknown; data?: unknown } = {}) {
    super("PERMANENT", { message, cause: options.cause });
    this.data = options.data;
  }
}
