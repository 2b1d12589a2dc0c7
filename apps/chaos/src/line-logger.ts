/**
 * The workers' logger: one JSON object a line on stdout. It deliberately redacts nothing, so a password that
 * reached a pgqrs error or log call would show up in the captured lines and fail the suite.
 */
import type { Logger } from "@pgqrs/core";

function loggable(value: unknown, depth: number): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") return typeof value === "function" || typeof value === "symbol" ? String(value) : value;
  if (depth > 6) return "[deep]";
  if (value instanceof Error) {
    const { code } = value as { code?: unknown };
    return {
      name: value.name,
      message: value.message,
      ...(code === undefined ? {} : { code: loggable(code, depth + 1) }),
      stack: value.stack,
      ...(value.cause === undefined ? {} : { cause: loggable(value.cause, depth + 1) }),
    };
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => loggable(item, depth + 1));
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) result[key] = loggable(item, depth + 1);
  return result;
}

/** Writes `level`, `time`, the fields and `msg` as one JSON line through `write`. */
export function createLineLogger(options: { verbose: boolean; write?: (line: string) => void }): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const at =
    (level: string) =>
    (object: object, message?: string): void => {
      write(JSON.stringify({ level, time: new Date().toISOString(), pid: process.pid, ...(loggable(object, 0) as object), msg: message }));
    };
  const ignore = (): void => undefined;
  return {
    debug: ignore,
    info: options.verbose ? at("info") : ignore,
    warn: at("warn"),
    error: at("error"),
  };
}
