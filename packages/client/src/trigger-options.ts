import { ConfigurationError } from "@pgqrs/core";

/** Options of `workflow(...).trigger(params, options)`. */
export interface TriggerOptions {
  /**
   * A second trigger with the same key for the same workflow returns the first message (with
   * `created: false`) and creates nothing. A non-empty string of at most 255 characters.
   */
  idempotencyKey?: string;
  /** Make the run claimable this many milliseconds from now (store clock). Not with `runAt`. */
  delayMs?: number;
  /** Make the run claimable at this time. Not with `delayMs`. */
  runAt?: Date;
  /**
   * Largest accepted params, in bytes of JSON.
   * @default defaultMaxPayloadBytes (1 MiB)
   */
  maxPayloadBytes?: number;
}

/** The longest accepted `idempotencyKey`. */
export const maxIdempotencyKeyLength = 255;

/**
 * Checks trigger options before anything is written.
 * @throws ConfigurationError naming the bad option
 */
export function validateTriggerOptions(options: TriggerOptions): void {
  const { idempotencyKey, delayMs, runAt, maxPayloadBytes } = options;
  if (idempotencyKey !== undefined) {
    if (typeof idempotencyKey !== "string" || idempotencyKey.length === 0 || idempotencyKey.length > maxIdempotencyKeyLength) {
      throw invalid("idempotencyKey", `must be a non-empty string of at most ${maxIdempotencyKeyLength} characters`);
    }
  }
  if (delayMs !== undefined && (typeof delayMs !== "number" || !Number.isFinite(delayMs) || delayMs < 0)) {
    throw invalid("delayMs", `must be a finite number of milliseconds >= 0; got ${String(delayMs)}`);
  }
  if (runAt !== undefined && !(runAt instanceof Date && !Number.isNaN(runAt.getTime()))) {
    throw invalid("runAt", "must be a valid Date");
  }
  if (delayMs !== undefined && runAt !== undefined) {
    throw new ConfigurationError({
      option: "delayMs",
      message: "trigger options delayMs and runAt cannot be used together; pass one of them",
    });
  }
  if (maxPayloadBytes !== undefined && !(Number.isSafeInteger(maxPayloadBytes) && maxPayloadBytes > 0)) {
    throw invalid("maxPayloadBytes", `must be a positive integer number of bytes; got ${String(maxPayloadBytes)}`);
  }
}

function invalid(option: string, problem: string): ConfigurationError {
  return new ConfigurationError({ option, message: `trigger option ${option} ${problem}` });
}
