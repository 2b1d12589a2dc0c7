import { ConnectionError } from "@pgqrs/core";
import { DrizzleQueryError } from "drizzle-orm";

/** SQLSTATEs and socket codes that mean "the connection is gone or was never made", not "the query is wrong". */
const connectionCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "57P01", // admin_shutdown (pg_terminate_backend, server stop)
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, shutting down)
  "53300", // too_many_connections
]);

const connectionMessages = [
  /connection terminated/i,
  /connection (?:was )?(?:closed|ended|reset)/i,
  /not queryable/i,
  /timeout exceeded when trying to connect/i,
  /cannot use a pool after calling end/i,
  /client was closed and is not queryable/i,
];

function field(error: unknown, key: string): unknown {
  return typeof error === "object" && error !== null ? (error as Record<string, unknown>)[key] : undefined;
}

function messageOf(error: unknown): string {
  const message = field(error, "message");
  return typeof message === "string" ? message : String(error);
}

/** drizzle wraps driver errors in `DrizzleQueryError` (message: the SQL and its parameters); return the driver's. */
export function unwrapDriverError(error: unknown): unknown {
  if (error instanceof DrizzleQueryError && error.cause !== undefined) {
    return error.cause;
  }
  return error;
}

/** The error's SQLSTATE or socket code, if any. */
export function errorCode(error: unknown): string | undefined {
  const code = field(error, "code");
  return typeof code === "string" ? code : undefined;
}

/** True when the error means the connection failed, not the statement. */
export function isConnectionFailure(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== undefined && (connectionCodes.has(code) || code.startsWith("08"))) return true;
  const message = messageOf(error);
  return connectionMessages.some((pattern) => pattern.test(message));
}

/**
 * Copies an error (and its cause chain) as plain `Error`s with every secret replaced by `***`, keeping `name`
 * and `code`. Used for every cause a `ConnectionError` carries, so no password reaches a log.
 */
export function sanitizeError(error: unknown, secrets: readonly string[], depth = 0): Error {
  const redact = (text: string) => redactSecrets(text, secrets);
  const copy = new Error(redact(messageOf(error)));
  const name = field(error, "name");
  copy.name = typeof name === "string" ? name : "Error";
  const code = errorCode(error);
  if (code !== undefined) Object.assign(copy, { code });
  const cause = field(error, "cause");
  if (cause !== undefined && depth < 8) copy.cause = sanitizeError(cause, secrets, depth + 1);
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}

/** Replaces each secret (raw and URL-encoded) and any `scheme://user:password@` credentials with `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, "$1***@");
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      result = result.split(form).join("***");
    }
  }
  return result;
}

/** A query failed: connection failures become `ConnectionError`; anything else is the driver's own error. */
export function describeQueryError(error: unknown): unknown {
  const driverError = unwrapDriverError(error);
  if (!isConnectionFailure(driverError)) return driverError;
  return new ConnectionError(
    `lost the connection to the database (${messageOf(driverError)}); check that PostgreSQL is up — pgqrs retries once it answers`,
    { cause: sanitizeError(driverError, []) },
  );
}

/** Where a connection attempt went, for messages: never the password. */
export interface ConnectionTarget {
  host: string;
  port: string;
  database: string;
  user: string;
  /** Secrets to scrub from any text taken from the driver. */
  secrets: string[];
}

/** Explains why connecting to `target` failed, with what to check next. */
export function connectFailure(error: unknown, target: ConnectionTarget): ConnectionError {
  const driverError = unwrapDriverError(error);
  const code = errorCode(driverError);
  const where = `${target.host}:${target.port}`;
  const detail = redactSecrets(messageOf(driverError), target.secrets);
  let message: string;
  if (code === "ECONNREFUSED") {
    message = `could not connect to PostgreSQL at ${where}: connection refused; check that the server is running and the host and port are right`;
  } else if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    message = `could not connect to PostgreSQL: host "${target.host}" was not found; check the host name in the database URL`;
  } else if (code === "ETIMEDOUT" || /timeout/i.test(detail)) {
    message = `could not connect to PostgreSQL at ${where}: timed out; check the host, port and firewall`;
  } else if (code === "28P01") {
    message = `PostgreSQL at ${where} rejected the password for user "${target.user}"; check the user and password in the database URL`;
  } else if (code === "28000") {
    message = `PostgreSQL at ${where} refused user "${target.user}" (${detail}); check the user and the server's pg_hba.conf`;
  } else if (code === "3D000") {
    message = `database "${target.database}" does not exist on ${where}; create it (CREATE DATABASE "${target.database}") or fix the database name in the URL`;
  } else if (code !== undefined && (code.startsWith("57P") || code === "53300")) {
    message = `PostgreSQL at ${where} is not accepting connections (${detail}); retry when it is up`;
  } else if (code === "ECONNRESET" || /terminated|unexpected|protocol|invalid/i.test(detail)) {
    message = `the server at ${where} did not answer as PostgreSQL (${detail}); check that the URL points at a PostgreSQL server`;
  } else {
    message = `could not connect to PostgreSQL at ${where} (${detail}); check the database URL`;
  }
  return new ConnectionError(message, { cause: sanitizeError(driverError, target.secrets) });
}
