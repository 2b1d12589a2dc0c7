import type { RetryPolicy } from "../workflow/types";

/** The retry policy a workflow gets when it sets none (SPEC §6). */
export const defaultRetryPolicy: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  initialDelayMs: 1000,
  factor: 2,
  maxDelayMs: 300_000,
});
