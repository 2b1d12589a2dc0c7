import type { Logger } from "@pgqrs/core";

const stopSignals = ["SIGINT", "SIGTERM"] as const;

/** SIGINT/SIGTERM handling for one worker. */
export interface SignalHandlers {
  /** Starts listening. Idempotent. */
  install(): void;
  /** Stops listening. Idempotent. */
  remove(): void;
}

/**
 * The first SIGINT or SIGTERM calls `onFirst` (a graceful stop); a repeated one calls `onRepeat` (stop
 * waiting for handlers), as an impatient Ctrl-C expects. While installed, the signals no longer end the
 * process by default: the worker's stop does.
 */
export function installSignalHandlers(options: { logger: Logger; onFirst(): void; onRepeat(): void }): SignalHandlers {
  let received = 0;
  let installed = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    received += 1;
    if (received === 1) {
      options.logger.info({ signal }, "pgqrs worker: stopping gracefully");
      options.onFirst();
    } else {
      options.logger.warn({ signal }, "pgqrs worker: signal repeated; aborting running handlers and releasing their runs");
      options.onRepeat();
    }
  };
  return {
    install() {
      if (installed) return;
      installed = true;
      for (const signal of stopSignals) process.on(signal, onSignal);
    },
    remove() {
      if (!installed) return;
      installed = false;
      for (const signal of stopSignals) process.off(signal, onSignal);
    },
  };
}
