import { PgqrsError } from "./pgqrs-error";

/** Applying pgqrs's schema migrations failed. */
export class MigrationError extends PgqrsError {
  static override readonly code = "MIGRATION" as const;
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("MIGRATION", { message, cause: options.cause });
  }
}
