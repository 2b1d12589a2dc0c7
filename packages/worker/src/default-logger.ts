import { silentLogger, type Logger } from "@pgqrs/core";

/** Where the default logger writes one line; `console.error` unless a test swaps it. */
export type LineWriter = (line: string) => void;

const credentialsInUrl = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)[^@/?#\s]*@/gi;

/** Masks the password of any URL in `text` (`postgres://user:secret@host` → `postgres://user:***@host`). */
export function redactCredentials(text: string): string {
  return text.replace(credentialsInUrl, "$1***@");
}

function toLoggable(value: unknown, depth: number): unknown {
  if (typeof value === "string") return redactCredentials(value);
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") return typeof value === "function" || typeof value === "symbol" ? undefined : value;
  if (depth > 4) return "[truncated]";
  if (value instanceof Error) {
    const { code } = value as { code?: unknown };
    return {
      name: value.name,
      message: redactCredentials(value.message),
      ...(typeof code === "string" ? { code } : {}),
      ...(value.cause === undefined ? {} : { cause: toLoggable(value.cause, depth + 1) }),
    };
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => toLoggable(item, depth + 1));
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) result[key] = toLoggable(item, depth + 1);
  return result;
}

function writeLine(write: LineWriter, level: "warn" | "error") {
  return (object: object, message?: string): void => {
    const fields = toLoggable(object, 0);
    const line = { level, time: new Date().toISOString(), ...(fields as Record<string, unknown>), ...(message === undefined ? {} : { msg: redactCredentials(message) }) };
    write(JSON.stringify(line));
  };
}

/**
 * The worker's default logger: debug and info are dropped; warnings and errors go to `console.error` as one
 * JSON object a line (`level`, `time`, the fields, `msg`). Passwords in URLs are masked. The worker never
 * hands it params or outputs.
 */
export function createDefaultLogger(write: LineWriter = (line) => console.error(line)): Logger {
  // silentLogger's own methods: loggers built over this one (withFields) see the levels it drops.
  return { debug: silentLogger.debug, info: silentLogger.info, warn: writeLine(write, "warn"), error: writeLine(write, "error") };
}
