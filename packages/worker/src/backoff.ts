/** Delays for retrying a failing store: grows from `initialMs` by `factor` up to `maxMs`, reset on success. */
export interface Backoff {
  /** The delay before the next try; each call grows the following one. */
  next(): number;
  /** Starts over after a success. */
  reset(): void;
  /** Consecutive failures since the last reset. */
  readonly failures: number;
}

/** Options of {@link createBackoff}. */
export interface BackoffOptions {
  /** @default 100 */
  initialMs?: number;
  /** @default 5000 */
  maxMs?: number;
  /** @default 2 */
  factor?: number;
  /** Random source in [0, 1) for jitter; each delay lands in [delay / 2, delay). @default Math.random */
  random?: () => number;
}

/**
 * Creates an exponential backoff with half jitter (100 ms doubling to 5 s by default), so many workers that
 * lost the same database do not reconnect in lockstep.
 */
export function createBackoff(options: BackoffOptions = {}): Backoff {
  const initialMs = options.initialMs ?? 100;
  const maxMs = options.maxMs ?? 5_000;
  const factor = options.factor ?? 2;
  const random = options.random ?? Math.random;
  let failures = 0;
  return {
    next() {
      const ceiling = Math.min(maxMs, initialMs * factor ** failures);
      failures += 1;
      return Math.round(ceiling / 2 + random() * (ceiling / 2));
    },
    reset() {
      failures = 0;
    },
    get failures() {
      return failures;
    },
  };
}
