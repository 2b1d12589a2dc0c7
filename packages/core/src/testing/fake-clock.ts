/** A source of the current time in epoch milliseconds; the only way the memory store learns "now". */
export interface Clock {
  now(): number;
}

/** A {@link Clock} that tests move by hand: time stands still until `advance` or `set`. */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms` (a negative value moves it back). */
  advance(ms: number): void;
  /** Jumps to `date`. */
  set(date: Date): void;
}

/** The wall clock, `Date.now`. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * Creates a clock that only moves when told to, for backoff, pause and lease-expiry tests without sleeps.
 *
 * @param options.start - the initial time. @default `2024-01-01T00:00:00.000Z`
 */
export function createFakeClock(options: { start?: Date } = {}): FakeClock {
  let current = (options.start ?? new Date("2024-01-01T00:00:00.000Z")).getTime();
  if (!Number.isFinite(current)) throw new TypeError("createFakeClock: start is not a valid Date");
  return {
    now: () => current,
    advance(ms: number) {
      if (!Number.isFinite(ms)) throw new TypeError(`FakeClock.advance: ${String(ms)} is not a finite number of milliseconds`);
      current += ms;
    },
    set(date: Date) {
      const next = date.getTime();
      if (!Number.isFinite(next)) throw new TypeError("FakeClock.set: not a valid Date");
      current = next;
    },
  };
}
