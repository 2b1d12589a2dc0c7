/**
 * A wait that ends early when woken. A wake that arrives while nobody waits is remembered, so an event that
 * lands between two reads still cuts the next wait short instead of being lost.
 */
export interface Wakeup {
  /** Ends the current wait now, or the next one at once. */
  wake(): void;
  /** Resolves after `delayMs` or on `wake()`, whichever comes first. */
  wait(delayMs: number): Promise<void>;
  /** Clears the timer and ends a pending wait. */
  dispose(): void;
}

/** Creates a {@link Wakeup}. */
export function createWakeup(): Wakeup {
  let pending = false;
  let release: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const finish = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const resolve = release;
    release = undefined;
    resolve?.();
  };

  return {
    wake() {
      if (release) finish();
      else pending = true;
    },
    wait(delayMs) {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        release = resolve;
        timer = setTimeout(finish, delayMs);
      });
    },
    dispose: finish,
  };
}
