import { PgqrsError } from "./pgqrs-error";

/** A builder or store option is invalid; raised before anything runs. */
export class ConfigurationError extends PgqrsError {
  static override readonly code = "CONFIGURATION" as const;
  readonly option: string;

  constructor(options: { option: string; message: string }) {
    super("CONFIGURATION", { message: options.message });
    this.option = options.option;
  }
}
