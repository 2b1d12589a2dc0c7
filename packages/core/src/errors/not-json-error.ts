import { PgqrsError } from "./pgqrs-error";

/** A value that must be JSON (params, step output, run output) is not; `path` says where. */
export class NotJsonError extends PgqrsError {
  static override readonly code = "NOT_JSON" as const;
  readonly path: string;

  constructor(options: { path: string; message: string }) {
    super("NOT_JSON", { message: options.message });
    this.path = options.path;
  }
}
