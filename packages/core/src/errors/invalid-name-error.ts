import { PgqrsError } from "./pgqrs-error";

/** A workflow name, step id or worker name broke its rule; nothing was written. */
export class InvalidNameError extends PgqrsError {
  static override readonly code = "INVALID_NAME" as const;
  readonly kind: string;
  readonly value: unknown;

  constructor(options: { kind: string; value: unknown; rule: string }) {
    super("INVALID_NAME", { message: `invalid ${options.kind} ${JSON.stringify(options.value)}: ${options.rule}` });
    this.kind = options.kind;
    this.value = options.value;
  }
}
