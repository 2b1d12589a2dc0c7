import type { RetryPolicy } from "../workflow/types";

/** Options of {@link backoffDelayMs}. */
export interface BackoffOptions {
  policy: RetryPolicy;
  /** Which failure this is: 1 for the first, 2 for the second, … */
  failure: number;
  /** Random source in [0, 1). @default Math.random */
  random?: () => number;
}

/**
 * The cap before jitter: `min(maxDelayMs, initialDelayMs × factor^(failure − 1))`.
 */
export function backoffCapMs(options: { policy: RetryPolicy; failure: number }): number {
  const { policy } = options;
  const exponent = Math.max(0, options.failure - 1);
  // 0 × Infinity is NaN: a zero initial delay stays zero however many failures.
  if (policy.initialDelayMs === 0) return 0;
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** exponent);
}

/**
 * The delay before the next attempt, with full jitter: a whole number of milliseconds drawn uniformly from
 * [0, ⌊min(maxDelayMs, initialDelayMs × factor^(failure − 1))⌋]. Full jitter spreads retries of many runs that
 * failed together (a database restart) instead of sending them back in lockstep.
 */
export function backoffDelayMs(options: BackoffOptions): number {
  const cap = backoffCapMs(options);
  const draw = (options.random ?? Math.random)();
  // A random source outside [0, 1) must not push the delay outside [0, cap].
  const unit = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0;
  const whole = Math.floor(cap);
  return Math.min(whole, Math.floor(unit * (whole + 1)));
}
