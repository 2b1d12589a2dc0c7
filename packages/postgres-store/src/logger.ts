/** The part of a pino-compatible logger the store uses (connection trouble it recovers from). */
export interface StoreLogger {
  warn(object: object, message?: string): void;
}

/** The default: warnings to the console, since a dropped connection should not go unnoticed. */
export const consoleLogger: StoreLogger = {
  warn(object, message) {
    const error = (object as { err?: unknown }).err;
    const detail = error instanceof Error ? `: ${error.message}` : "";
    console.warn(`${message ?? "pgqrs warning"}${detail}`);
  },
};

/** A logger that drops everything. */
export const silentLogger: StoreLogger = { warn: () => undefined };
