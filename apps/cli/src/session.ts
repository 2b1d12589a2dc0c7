import type { StoreLogger } from "@pgqrs/postgres-store";
import type { WorkflowStore } from "@pgqrs/core/storage";
import type { Command } from "commander";
import { ExitCode, CliError, usageError } from "./cli-error";
import type { CliIo } from "./io";
import { redact, urlSecrets } from "./redact";

/** The options every command inherits from `pgqrs` itself. */
export interface GlobalOptions {
  databaseUrl?: string;
  verbose?: boolean;
}

/** What a command's action needs besides its own options. */
export interface Session {
  io: CliIo;
  verbose: boolean;
  /** The database URL, checked; throws a usage error (exit 2) when none was given. */
  databaseUrl(): string;
  /** Opens the store, runs `task`, and closes the store whatever happens. */
  withStore<T>(task: (store: WorkflowStore) => Promise<T>): Promise<T>;
}

const urlHelp =
  "pass --database-url postgres://user:password@host:5432/database or set DATABASE_URL " +
  "(example: DATABASE_URL=postgres://postgres@localhost:5432/app pgqrs status)";

/**
 * The URL from `--database-url`, else `DATABASE_URL`, checked for shape only (no connection yet).
 * @throws CliError (exit 2) when neither is set or the URL is not a postgres:// URL; the message never repeats it.
 */
export function resolveDatabaseUrl(options: GlobalOptions, env: NodeJS.ProcessEnv): string {
  const url = options.databaseUrl ?? (env.DATABASE_URL === "" ? undefined : env.DATABASE_URL);
  if (url === undefined) throw usageError(`no database URL given; ${urlHelp}`);
  if (!/^postgres(?:ql)?:\/\//i.test(url)) {
    throw usageError(`the database URL must start with postgres:// or postgresql://; ${urlHelp}`);
  }
  try {
    new URL(url);
  } catch {
    throw usageError(
      "the database URL is malformed; expected postgres://user:password@host:5432/database " +
        "(percent-encode special characters in the user and password)",
    );
  }
  return url;
}

/** SQLSTATEs meaning the pgqrs tables are missing: undefined_table, invalid_schema_name. */
const missingSchemaCodes = new Set(["42P01", "3F000"]);

/** Finds a database error code anywhere in the cause chain. */
export function databaseErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The CLI's one message for a database without the pgqrs tables (a usage error, exit 2), when `error` is one;
 * otherwise `error` unchanged. For rethrowing: `throw explainMissingSchema(error)`.
 */
export function explainMissingSchema(error: unknown): unknown {
  const code = databaseErrorCode(error);
  if (code === undefined || !missingSchemaCodes.has(code)) return error;
  return new CliError("the database has no pgqrs schema yet; create it with: pgqrs migrate", {
    exitCode: ExitCode.Usage,
    cause: error,
  });
}

function storeLogger(io: CliIo, options: { verbose: boolean; secrets: string[] }): StoreLogger {
  return {
    warn(object, message) {
      if (!options.verbose) return;
      const error = (object as { err?: unknown }).err;
      const detail = error instanceof Error ? `: ${error.message}` : "";
      io.stderr.write(`${redact(`warning: ${message ?? "pgqrs"}${detail}`, options.secrets)}\n`);
    },
  };
}

/** Builds the session of one command from the options parsed by commander. */
export function createSession(io: CliIo, command: Command): Session {
  const options = command.optsWithGlobals<GlobalOptions>();
  const verbose = options.verbose === true;
  const databaseUrl = () => resolveDatabaseUrl(options, io.env);
  return {
    io,
    verbose,
    databaseUrl,
    async withStore(task) {
      const url = databaseUrl();
      // Loaded on use: `--help` and usage errors should not pay for the driver and the ORM.
      const { connect } = await import("@pgqrs/postgres-store");
      // Commands read and steer; they never migrate behind the operator's back (that is `pgqrs migrate`).
      const store = await connect(url, {
        migrate: false,
        logger: storeLogger(io, { verbose, secrets: urlSecrets(url) }),
        poolConfig: { max: 4, connectionTimeoutMillis: 10_000 },
      });
      try {
        return await task(store);
      } catch (error) {
        throw explainMissingSchema(error);
      } finally {
        await store.close();
      }
    },
  };
}
