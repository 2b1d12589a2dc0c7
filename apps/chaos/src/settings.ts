/**
 * Where the suite runs and what it shares: the PostgreSQL server, the secret every worker URL carries, and the
 * repository paths the report and the worker entry live at.
 */
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";

/** The server under test; its database part names the admin database. */
export const adminUrl = process.env.PGQRS_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * A password put in every worker's and every bad-input case's database URL. The server trusts local
 * connections, so it is never checked; it is there so the suite can prove it never shows up in an error
 * message or a log line.
 */
export const secret = `Chaos-${randomBytes(6).toString("hex")}-pw`;

/** The repository root (the report is written there; it is git-ignored). */
export const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** The package root (the child processes run from there so `--import tsx` resolves). */
export const packageRoot = fileURLToPath(new URL("../", import.meta.url));

/** The entry point of a worker child process. */
export const workerEntry = fileURLToPath(new URL("./worker-process.ts", import.meta.url));

/** `url` with its database replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** `url` with `password` set (and the user defaulted to the admin URL's or `postgres`). */
export function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  if (parsed.username === "") parsed.username = "postgres";
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}
