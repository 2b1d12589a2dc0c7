import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { createTestDatabase, postgresAvailable } from "@pgqrs/vitest-config/postgres";
import type { TestDatabase } from "@pgqrs/vitest-config/postgres";
import { MigrationError } from "@pgqrs/core";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresStore } from "../src/store";
import { silentLogger } from "../src/logger";
import { migrate, migrationsFolder, migrationsSchema, migrationsTable } from "../src/migrate";
import { testPool } from "./support/databases";

const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, "utf8")) as { entries: { tag: string }[] };
const tags = journal.entries.map((entry) => entry.tag);

const hasPostgres = await postgresAvailable();

describe.skipIf(!hasPostgres)("migrate() on PostgreSQL", () => {
  const databases: TestDatabase[] = [];
  const emptyDatabase = async () => {
    const database = await createTestDatabase();
    databases.push(database);
    return database;
  };
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  it("applies each migration once when ten processes migrate an empty database at the same time", async () => {
    const database = await emptyDatabase();
    const results = await Promise.all(Array.from({ length: 10 }, () => migrate(database.url)));
    expect(results.flatMap((result) => result.applied)).toEqual(tags);
    expect(results.filter((result) => result.applied.length > 0)).toHaveLength(1);

    const pool = testPool(database.url);
    try {
      const rows = await pool.query("select count(*)::int as n from pgqrs_migrations.journal");
      expect(rows.rows[0].n).toBe(tags.length);
      const tables = await pool.query(
        "select table_name from information_schema.tables where table_schema = 'pgqrs' order by table_name",
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual(["events", "messages", "runs", "steps", "workers", "workflows"]);
      // The journal is pgqrs's own: drizzle's default journal schema was never created.
      const drizzle = await pool.query("select 1 from pg_namespace where nspname = 'drizzle'");
      expect(drizzle.rowCount).toBe(0);
      expect((await migrate(database.url)).applied).toEqual([]);
    } finally {
      await pool.end();
    }
  });

  it("upgrades a database at 0000_init, keeping its runs, to the latest layout", async () => {
    const database = await emptyDatabase();
    // The shipped folder as it was at the first release: 0000_init only.
    const firstRelease = mkdtempSync(join(tmpdir(), "pgqrs-0000-"));
    const pool = testPool(database.url);
    try {
      cpSync(`${migrationsFolder}/0000_init.sql`, `${firstRelease}/0000_init.sql`);
      const first = { ...journal, entries: journal.entries.slice(0, 1) };
      cpSync(`${migrationsFolder}/meta`, `${firstRelease}/meta`, { recursive: true });
      writeFileSync(`${firstRelease}/meta/_journal.json`, JSON.stringify(first));
      const client = await pool.connect();
      try {
        await migrateNodePg(drizzle({ client }), { migrationsFolder: firstRelease, migrationsSchema, migrationsTable });
      } finally {
        client.release();
      }
      // Data written by the 0000 layout: a workflow, a QUEUED run and a PAUSED run with a completed step.
      await pool.query("insert into pgqrs.workflows (name) values ('legacy')");
      await pool.query("insert into pgqrs.messages (workflow) values ('legacy'), ('legacy')");
      await pool.query(
        `insert into pgqrs.runs (message_id, workflow, input, status, visible_at, pause_reason)
         values (1, 'legacy', '{"n":1}', 'QUEUED', now(), null), (2, 'legacy', '{"n":2}', 'PAUSED', now() + interval '1 hour', 'approval')`,
      );
      await pool.query(`insert into pgqrs.steps (run_id, step_id, output) values (2, 'fetch', '"done"')`);

      expect((await migrate(database.url)).applied).toEqual(tags.slice(1));
      expect((await migrate(database.url)).applied).toEqual([]);

      const store = createPostgresStore({ pool, logger: silentLogger });
      try {
        expect(await store.getWorkflow({ name: "legacy" })).toMatchObject({ name: "legacy", pausedAt: null });
        const paused = await store.getRun({ runId: "2" });
        expect(paused).toMatchObject({ status: "PAUSED", pauseReason: "approval", cancelRequestedAt: null, cancelReason: null });
        expect(paused?.steps.map((step) => step.stepId)).toEqual(["fetch"]);
        // The new features work on the old rows.
        await store.sendEvent({ runId: "2", name: "approved", payload: { by: "ops" } });
        expect((await store.getEvent({ runId: "2", name: "approved" }))?.payload).toEqual({ by: "ops" });
        expect((await store.cancelRun({ runId: "2", reason: "obsolete" })).status).toBe("CANCELLED");
        await store.pauseWorkflow("legacy");
        const { workerId } = await store.registerWorker({ name: "upgrade", workflow: "legacy" });
        expect(await store.claimRuns({ workerId, workflow: "legacy", limit: 5, leaseMs: 30_000 })).toEqual([]);
        await store.resumeWorkflow("legacy");
        const claimed = await store.claimRuns({ workerId, workflow: "legacy", limit: 5, leaseMs: 30_000 });
        expect(claimed.map((run) => [run.runId, run.cancelRequested])).toEqual([["1", false]]);
      } finally {
        await store.close();
      }
    } finally {
      await pool.end();
      rmSync(firstRelease, { recursive: true, force: true });
    }
  });

  it("leaves the host application's drizzle journal alone", async () => {
    const database = await emptyDatabase();
    const pool = testPool(database.url);
    try {
      await pool.query("create schema drizzle");
      await pool.query("create table drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)");
      await pool.query("insert into drizzle.__drizzle_migrations (hash, created_at) values ('host', 4102444800000)");
      expect((await migrate({ pool })).applied).toEqual(tags);
      const host = await pool.query("select hash from drizzle.__drizzle_migrations");
      expect(host.rows).toEqual([{ hash: "host" }]);
    } finally {
      await pool.end();
    }
  });

  it("raises MigrationError for a failing migration and keeps none of it", async () => {
    const database = await emptyDatabase();
    const pool = testPool(database.url);
    try {
      // Something else already owns a "pgqrs" schema: the first migration's CREATE SCHEMA fails.
      await pool.query("create schema pgqrs");
      const error = await migrate({ pool }).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(MigrationError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/already exists/);
      const journal = await pool.query("select count(*)::int as n from pgqrs_migrations.journal");
      expect(journal.rows[0].n).toBe(0);
      // The advisory lock was given back: a later attempt is not blocked.
      await pool.query("drop schema pgqrs");
      expect((await migrate({ pool })).applied).toEqual(tags);
    } finally {
      await pool.end();
    }
  });

  it("migrates through a caller's pool concurrently, once", async () => {
    const database = await emptyDatabase();
    const pool = testPool(database.url, 4);
    try {
      const results = await Promise.all([migrate({ pool }), migrate({ pool }), migrate({ pool })]);
      expect(results.flatMap((result) => result.applied)).toEqual(tags);
      const rows = await pool.query("select count(*)::int as n from pgqrs_migrations.journal");
      expect(rows.rows[0].n).toBe(tags.length);
    } finally {
      await pool.end();
    }
  });
});

describe("migrate() on PGlite", () => {
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = new PGlite();
    await pglite.waitReady;
  });
  afterAll(async () => {
    await pglite.close();
  });

  it("applies each migration once when called concurrently on one instance", async () => {
    const results = await Promise.all([migrate({ pglite }), migrate({ pglite }), migrate({ pglite })]);
    expect(results.flatMap((result) => result.applied)).toEqual(tags);
    const rows = await pglite.query<{ n: number }>("select count(*)::int as n from pgqrs_migrations.journal");
    expect(rows.rows[0]?.n).toBe(tags.length);
    expect((await migrate({ pglite })).applied).toEqual([]);
  });
});
