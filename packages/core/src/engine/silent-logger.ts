import type { Logger } from "../workflow/types";

const ignore = (): void => undefined;

/** A logger that drops everything: the engine's default. */
export const silentLogger: Logger = Object.freeze({ debug: ignore, info: ignore, warn: ignore, error: ignore });

/** A logger that adds `fields` to every call's object. */
export function withFields(logger: Logger, fields: Record<string, unknown>): Logger {
  return {
    debug: (object, message) => logger.debug({ ...fields, ...object }, message),
    info: (object, message) => logger.info({ ...fields, ...object }, message),
    warn: (object, message) => logger.warn({ ...fields, ...object }, message),
    error: (object, message) => logger.error({ ...fields, ...object }, message),
  };
}
