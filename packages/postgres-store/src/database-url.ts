import { ConnectionError } from "@pgqrs/core";
import type { ConnectionTarget } from "./connection-errors";

/** True for the URL forms `connect()` treats as a PostgreSQL server. */
export function isDatabaseUrl(value: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(value);
}

/**
 * Checks a `postgres://` / `postgresql://` URL and returns where it points, for error messages.
 * @throws ConnectionError when the URL is malformed; the message never repeats the URL (it may hold a password).
 */
export function parseDatabaseUrl(value: string): ConnectionTarget {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConnectionError(
      "the database URL is malformed; expected postgres://user:password@host:5432/database " +
        "(percent-encode special characters in the user and password)",
    );
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new ConnectionError(
      `the database URL must start with postgres:// or postgresql:// (got ${url.protocol}//); ` +
        "expected postgres://user:password@host:5432/database",
    );
  }
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  const password = decode(url.password);
  const user = decode(url.username) || "postgres";
  const database = decode(url.pathname.replace(/^\//, "")) || user;
  const host = url.hostname.replace(/^\[|\]$/g, "") || decode(url.searchParams.get("host") ?? "") || "localhost";
  return {
    host,
    port: url.port || "5432",
    database,
    user,
    secrets: [password, url.password].filter((secret) => secret.length > 0),
  };
}
