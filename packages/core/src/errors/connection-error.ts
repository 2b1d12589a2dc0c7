import { PgqrsError } from "./pgqrs-error";

/** The database URL is malformed or the server cannot be reached. The message never holds a password. */
export class ConnectionError extends PgqrsError {
  static override readonly code = "CONNECTION" as const;
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("CONNECTION", { message, cause: options.cause });
  }
}
