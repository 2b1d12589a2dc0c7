import type { Logger } from "../workflow/types";

const ignore = (): void => undefined;

/** A logger that drops everything: the engine's default. */
export const silentLogger: Logger = Object.freeze({ debug: ignore, info: ignore, warn: ignore, error: ignore });

/**
 * A logger that adds `fields` to every call's object. A level the logger drops with {@link silentLogger}'s own
 * method stays that method, so a dropped debug line costs no object copy.
 */
export function withFields(logger: Logger, fields: Record<string, unknown>): Logger {
  const level =
    (name: keyof Logger): Logger[keyof Logger] =>
    (object, message) =>
      logger[name]({ ...fields, ...object }, message);
  return {
    debug: logger.debug === ignore ? ignore : level("debug"),
    info: logger.info === ignore ? ignore : level("info"),
    warn: logger.warn === ignore ? ignore : level("warn"),
    error: logger.error === ignore ? ignore : level("error"),
  };
}
