import { PgqrsError } from "./pgqrs-error";

/** A params or output value is larger than the configured limit; nothing was written. */
export class PayloadTooLargeError extends PgqrsError {
  static override readonly code = "PAYLOAD_TOO_LARGE" as const;
  readonly path: string;
  readonly sizeBytes: number;
  readonly limitBytes: number;

  constructor(options: { path: string; sizeBytes: number; limitBytes: number }) {
    super("PAYLOAD_TOO_LARGE", {
      message: `${options.path} is ${options.sizeBytes} bytes of JSON, over the limit of ${options.limitBytes} bytes; store large data elsewhere and pass a reference, or raise maxPayloadBytes`,
    });
    this.path = options.path;
    this.sizeBytes = options.sizeBytes;
    this.limitBytes = options.limitBytes;
  }
}
