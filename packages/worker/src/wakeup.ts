/** A latch the loop sleeps on: `notify()` ends the current (or next) wait early. */
export interface Wakeup {
  /** Wakes the waiter now, or the next `wait` at once when nobody waits. */
  notify(): void;
  /**
   * Resolves after `ms` (never, with `Infinity`) or at the first `notify`, whichever is first; a notify that
   * came before the call ends it at once. The timer is unref'd and cleared on wake.
   */
  wait(ms: number): Promise<void>;
}

/** Creates a {@link Wakeup}. */
export function createWakeup(): Wakeup {
  let pending = false;
  let wake: (() => void) | undefined;
  return {
    notify() {
      if (wake === undefined) {
        pending = true;
        return;
      }
      const current = wake;
      wake = undefined;
      current();
    },
    wait(ms) {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const done = (): void => {
          if (timer !== undefined) clearTimeout(timer);
          if (wake === done) wake = undefined;
          resolve();
        };
        wake = done;
        if (Number.isFinite(ms)) {
          timer = setTimeout(done, ms);
          timer.unref();
        }
      });
    },
  };
}

/** Resolves after `ms`, or at once when `signal` aborts; the timer never keeps the process alive. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener("abort", done, { once: true });
  });
}
