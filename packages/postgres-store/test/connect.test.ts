import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo, Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { ConnectionError } from "@pgqrs/core";
import { adminUrl, createTestDatabase, postgresAvailable } from "@pgqrs/vitest-config/postgres";
import type { TestDatabase } from "@pgqrs/vitest-config/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../src/connect";
import { silentLogger } from "../src/logger";
import { migratedDatabase, testPool } from "./support/databases";

const password = "s3cret-pw";
const hasPostgres = await postgresAvailable();

function withCredentials(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.username = parsed.username || "postgres";
  parsed.password = password;
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Every text an error exposes: its message, stack and the same for each cause. */
function allText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    const value = current as { message?: unknown; stack?: unknown; cause?: unknown };
    parts.push(String(value.message), String(value.stack));
    current = value.cause;
  }
  return `${parts.join("\n")}\n${JSON.stringify(error)}`;
}

async function connectionError(promise: Promise<unknown>): Promise<ConnectionError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(ConnectionError.isInstance(error), `expected a ConnectionError, got ${String(error)}`).toBe(true);
  expect(allText(error)).not.toContain(password);
  return error as ConnectionError;
}

describe("connect() errors", () => {
  it("rejects a malformed URL without repeating it", async () => {
    const error = await connectionError(connect(`postgres://postgres:${password}@localhost:99999999/db`));
    expect(error.message).toMatch(/malformed/);
  });

  it("rejects a string that is not a PostgreSQL URL", async () => {
    const error = await connectionError(connect(`mysql://root:${password}@localhost/db`));
    expect(error.message).toMatch(/postgres:\/\//);
  });

  it("explains a refused port", async () => {
    const error = await connectionError(connect(`postgres://postgres:${password}@127.0.0.1:1/postgres`));
    expect(error.message).toMatch(/refused/);
    expect(error.message).toContain("127.0.0.1:1");
  });

  it("explains a server that is not PostgreSQL", async () => {
    const server: Server = createServer((socket) => socket.end("HTTP/1.1 400 Bad Request\r\n\r\n"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const error = await connectionError(connect(`postgres://postgres:${password}@127.0.0.1:${port}/postgres`));
      expect(error.message).toMatch(/PostgreSQL/);
    } finally {
      server.close();
    }
  });
});

/** A fake server that answers any startup with a PostgreSQL ErrorResponse carrying `code`. */
async function fakeServer(code: string, message: string): Promise<{ port: number; close(): void }> {
  const field = (type: string, value: string) => Buffer.concat([Buffer.from(type), Buffer.from(value), Buffer.from([0])]);
  const body = Buffer.concat([field("S", "FATAL"), field("C", code), field("M", message), Buffer.from([0])]);
  const length = Buffer.alloc(4);
  length.writeInt32BE(body.length + 4);
  const reply = Buffer.concat([Buffer.from("E"), length, body]);
  const server = createServer((socket) => socket.once("data", () => socket.end(reply)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

describe("connect() rejected by the server", () => {
  it("explains a wrong password without repeating it", async () => {
    const server = await fakeServer("28P01", 'password authentication failed for user "app"');
    try {
      const error = await connectionError(connect(`postgres://app:${password}@127.0.0.1:${server.port}/app`));
      expect(error.message).toMatch(/rejected the password for user "app"/);
    } finally {
      server.close();
    }
  });
});

describe.skipIf(!hasPostgres)("connect() to PostgreSQL", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await migratedDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it("explains a database that does not exist, without the password", async () => {
    const error = await connectionError(connect(withCredentials(adminUrl, "pgqrs_no_such_database")));
    expect(error.message).toMatch(/database "pgqrs_no_such_database" does not exist/);
  });

  it("opens a pool from a URL and ends it on close()", async () => {
    const store = await connect(database.url, { logger: silentLogger });
    expect(store.name).toBe("postgres");
    expect(store.capabilities.notify).toBe(true);
    expect((await store.createWorkflow({ name: "from_url" })).name).toBe("from_url");
    await store.close();
    await store.close();
    await expect(store.getWorkflow({ name: "from_url" })).rejects.toThrow();
  });

  it("uses a caller's pool and leaves it open on close()", async () => {
    const pool = testPool(database.url);
    try {
      const store = await connect({ pool, logger: silentLogger });
      expect(store.name).toBe("postgres");
      await store.createWorkflow({ name: "from_pool" });
      await store.close();
      const rows = await pool.query("select name from pgqrs.workflows where name = 'from_pool'");
      expect(rows.rowCount).toBe(1);
    } finally {
      await pool.end();
    }
  });

  it("skips migrations with { migrate: false }", async () => {
    const empty = await createTestDatabase();
    try {
      const store = await connect(empty.url, { migrate: false, logger: silentLogger });
      await store.close();
      const pool = testPool(empty.url);
      const rows = await pool.query("select 1 from pg_namespace where nspname in ('pgqrs', 'pgqrs_migrations')");
      await pool.end();
      expect(rows.rowCount).toBe(0);
    } finally {
      await empty.drop();
    }
  });
});

// Starting PGlite takes seconds of CPU; allow for a loaded machine.
describe("connect() to PGlite", { timeout: 120_000 }, () => {
  it("opens an in-memory PGlite with no argument", async () => {
    const store = await connect();
    expect(store.name).toBe("pglite");
    expect(store.capabilities.notify).toBe(true);
    await store.createWorkflow({ name: "embedded" });
    expect((await store.listWorkflows()).map((workflow) => workflow.name)).toEqual(["embedded"]);
    await store.close();
  });

  it("uses a caller's instance and leaves it open on close()", async () => {
    const pglite = new PGlite();
    try {
      const store = await connect({ pglite });
      await store.createWorkflow({ name: "mine" });
      await store.close();
      expect(pglite.closed).toBe(false);
      const rows = await pglite.query("select name from pgqrs.workflows");
      expect(rows.rows).toEqual([{ name: "mine" }]);
    } finally {
      await pglite.close();
    }
  });

  it("opens a data directory, closes it, and finds the data again", async () => {
    const directory = mkdtempSync(join(tmpdir(), "pgqrs-pglite-"));
    try {
      const first = await connect({ pglite: directory });
      await first.createWorkflow({ name: "persisted" });
      await first.close();
      const second = await connect({ pglite: directory });
      expect(await second.getWorkflow({ name: "persisted" })).not.toBeNull();
      await second.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
