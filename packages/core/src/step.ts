import { ConfigurationError } from "./errors/configuration-error";
import { PauseRequest } from "./errors/pause-request";

/** Options of {@link Step.pause}. */
export interface PauseOptions {
  /** Shown by `run().get()` while the run is PAUSED. */
  reason?: string;
}

/** The `{ until }` form of {@link Step.pause}. */
export interface PauseUntil extends PauseOptions {
  /** When the run becomes claimable again (store clock). */
  until: Date;
}

/**
 * Pauses the run. `Step.pause(ms)` and `Step.pause({ until })` return a {@link PauseRequest} to throw
 * inside a step: `throw Step.pause(3_600_000, { reason: "waiting for approval" })`. The run becomes PAUSED,
 * the worker slot is freed, and the run is delivered again at the pause's end (or when resumed); the paused
 * step's `fn` runs again then. A pause is not a failed attempt.
 *
 * @throws ConfigurationError for a negative, non-finite or non-number `ms`, an invalid `until` date or a
 *   non-string reason
 */
function pause(ms: number, options?: PauseOptions): PauseRequest;
function pause(until: PauseUntil, options?: PauseOptions): PauseRequest;
function pause(target: number | PauseUntil, options: PauseOptions = {}): PauseRequest {
  const reason = checkReason(options.reason ?? (typeof target === "object" && target !== null ? target.reason : undefined));
  if (typeof target === "number") {
    if (!Number.isFinite(target) || target < 0) {
      throw new ConfigurationError({ option: "ms", message: `Step.pause(ms) needs a finite number of milliseconds, 0 or more; got ${String(target)}` });
    }
    return new PauseRequest({ delayMs: target, ...(reason === undefined ? {} : { reason }) });
  }
  const until: unknown = typeof target === "object" && target !== null ? target.until : undefined;
  if (!(until instanceof Date) || Number.isNaN(until.getTime())) {
    throw new ConfigurationError({
      option: "until",
      message: "Step.pause() takes a number of milliseconds or { until: Date } with a valid Date",
    });
  }
  return new PauseRequest({ until: new Date(until.getTime()), ...(reason === undefined ? {} : { reason }) });
}

function checkReason(reason: unknown): string | undefined {
  if (reason === undefined || typeof reason === "string") return reason;
  throw new ConfigurationError({ option: "reason", message: `a pause reason must be a string, got ${typeof reason}` });
}

/** Helpers for use inside steps. */
export const Step = Object.freeze({ pause });
