import type * as PgliteModule from "@electric-sql/pglite";
import type { PGlite } from "@electric-sql/pglite";
import { ConnectionError } from "@pgqrs/core";
import type { WorkflowStore } from "@pgqrs/core/storage";
import pg from "pg";
import { connectFailure } from "./connection-errors";
import { isDatabaseUrl, parseDatabaseUrl } from "./database-url";
import { consoleLogger } from "./logger";
import { migrate } from "./migrate";
import { buildStore } from "./store";
import type { StoreOptions } from "./store";

/** Options of {@link connect}. */
export interface ConnectOptions extends StoreOptions {
  /** Apply pgqrs's migrations before returning. @default true */
  migrate?: boolean;
  /**
   * Options for the `pg.Pool` a URL creates (`max`, `ssl`, …); `connectionString` is the URL.
   * @default { max: 10, connectionTimeoutMillis: 30000 }
   */
  poolConfig?: Omit<pg.PoolConfig, "connectionString">;
}

/** What {@link connect} can connect to besides a URL: a caller's `pg` pool, or PGlite (instance or data directory). */
export type ConnectTarget = ({ pool: pg.Pool } | { pglite: PGlite | string }) & ConnectOptions;

async function loadPglite(): Promise<typeof PgliteModule> {
  try {
    return await import("@electric-sql/pglite");
  } catch (error) {
    throw new ConnectionError(
      "embedded PGlite needs the optional package @electric-sql/pglite: npm install @electric-sql/pglite " +
        "(or pass a postgres:// URL to connect to a PostgreSQL server)",
      { cause: error },
    );
  }
}

async function connectUrl(url: string, options: ConnectOptions): Promise<WorkflowStore> {
  const target = parseDatabaseUrl(url);
  const pool = new pg.Pool({ max: 10, connectionTimeoutMillis: 30_000, ...options.poolConfig, connectionString: url });
  const logger = options.logger ?? consoleLogger;
  // Until the store attaches its own handler: an idle connection's error must never crash the process.
  const onError = (error: Error) => logger.warn({ err: error }, "pgqrs: an idle database connection failed");
  pool.on("error", onError);
  try {
    // One connection up front: a wrong URL fails here, with advice, not on the first claim.
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw connectFailure(error, target);
  }
  try {
    if (options.migrate !== false) await migrate({ pool });
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  const store = buildStore({ pool }, { ...options, owned: { close: () => pool.end() } });
  pool.off("error", onError);
  return store;
}

async function connectPglite(pglite: PGlite | string | undefined, options: ConnectOptions): Promise<WorkflowStore> {
  let instance: PGlite;
  let owned = false;
  if (pglite === undefined || typeof pglite === "string") {
    const { PGlite } = await loadPglite();
    instance = new PGlite(pglite);
    owned = true;
  } else {
    instance = pglite;
  }
  try {
    await instance.waitReady;
    if (options.migrate !== false) await migrate({ pglite: instance });
  } catch (error) {
    if (owned) await instance.close().catch(() => undefined);
    throw error;
  }
  return buildStore({ pglite: instance }, { ...options, owned: owned ? { close: () => instance.close() } : undefined });
}

/**
 * Opens a store and applies migrations (unless `migrate: false`):
 * - `connect()` — embedded in-memory PGlite (needs the optional `@electric-sql/pglite`);
 * - `connect("postgres://user:password@host/db")` — a `pg` pool the store owns and `close()` ends;
 * - `connect({ pool })` — the caller's pool, never ended by the store;
 * - `connect({ pglite })` — a PGlite instance (never closed by the store) or a data directory (opened and closed).
 *
 * @throws ConnectionError for a malformed URL, an unreachable server, a wrong password or a missing database; the
 *   message says what to check and never holds the password.
 * @throws MigrationError when applying the migrations fails.
 */
export async function connect(target?: string | ConnectTarget, options: ConnectOptions = {}): Promise<WorkflowStore> {
  if (target === undefined) return connectPglite(undefined, options);
  if (typeof target === "string") {
    if (!isDatabaseUrl(target)) {
      throw new ConnectionError(
        "connect() takes a postgres:// or postgresql:// URL, { pool }, { pglite }, or nothing for embedded PGlite; " +
          "the string given is not a PostgreSQL URL",
      );
    }
    return connectUrl(target, options);
  }
  const merged = { ...options, ...target };
  if ("pool" in target) {
    if (merged.migrate !== false) await migrate({ pool: target.pool });
    return buildStore({ pool: target.pool }, merged);
  }
  return connectPglite(target.pglite, merged);
}
