/**
 * Opens the tour's store: embedded PGlite in memory by default; with a PostgreSQL URL, a fresh database on
 * that server (dropped at the end), so runs left by other programs or earlier tours cannot mix in.
 */
import type { WorkflowStore } from "@pgqrs/core/storage";
import { connect } from "@pgqrs/postgres-store";
import { randomBytes } from "node:crypto";
import pg from "pg";

/** The store and how to describe and release it. */
export interface DemoStore {
  store: WorkflowStore;
  /** Where the data lives, without credentials. */
  label: string;
  /** The URL of the tour's database on PostgreSQL; `undefined` on PGlite. */
  databaseUrl: string | undefined;
  /** Closes the store and drops the fresh database, if one was made. */
  close(): Promise<void>;
}

/** PostgreSQL's "insufficient privilege". */
const insufficientPrivilege = "42501";

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Opens the store for `databaseUrl`, or embedded PGlite without one. */
export async function openDemoStore(databaseUrl: string | undefined): Promise<DemoStore> {
  if (databaseUrl === undefined) {
    const store = await connect();
    return { store, label: "embedded PGlite (in memory)", databaseUrl: undefined, close: () => store.close() };
  }
  const server = new URL(databaseUrl);
  const name = `pgqrs_demo_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const created = await withClient(databaseUrl, async (client) => {
    try {
      await client.query(`create database "${name}"`);
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === insufficientPrivilege) return false;
      throw error;
    }
  });
  if (!created) {
    // Without CREATEDB, use the given database; connect() migrates it (idempotent) and the tour adds its runs.
    const store = await connect(databaseUrl);
    const label = `PostgreSQL ${server.host}${server.pathname} (no permission for a fresh database; using this one)`;
    return { store, label, databaseUrl, close: () => store.close() };
  }
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const drop = () => withClient(databaseUrl, async (client) => void (await client.query(`drop database if exists "${name}" with (force)`)));
  let store: WorkflowStore;
  try {
    store = await connect(url.toString());
  } catch (error) {
    await drop();
    throw error;
  }
  return {
    store,
    label: `PostgreSQL ${server.host}/${name} (a fresh database, dropped at the end)`,
    databaseUrl: url.toString(),
    async close() {
      await store.close();
      await drop();
    },
  };
}
