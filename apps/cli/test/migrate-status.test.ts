import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { WorkflowStore } from "@pgqrs/core/storage";
import { migrationsFolder } from "@pgqrs/postgres-store";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "@pgqrs/vitest-config/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/cli";
import { createRunFactory, openStore } from "./support/database";

const hasPostgres = await postgresAvailable();
/** The shipped migrations' tags, oldest first (drizzle-kit's journal). */
const tags = (
  JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] }
).entries.map((entry) => entry.tag);
const latest = tags.at(-1) ?? "";

describe.skipIf(!hasPostgres)("pgqrs migrate and pgqrs status", () => {
  // An empty database (no template): `pgqrs migrate` is what creates the schema here.
  let database: TestDatabase;
  let store: WorkflowStore | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it("status before migrate exits 2 and says to migrate", async () => {
    const result = await runCli(["status"], { databaseUrl: database.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("error: the database has no pgqrs schema yet; create it with: pgqrs migrate\n");
  });

  it("other commands before migrate say the same", async () => {
    const result = await runCli(["runs", "list"], { databaseUrl: database.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("error: the database has no pgqrs schema yet; create it with: pgqrs migrate\n");
  });

  it("migrate applies the migrations once, then reports the schema up to date", async () => {
    const first = await runCli(["migrate", "--database-url", database.url]);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      `applied ${tags.length} migration${tags.length === 1 ? "" : "s"}:\n${tags.map((tag) => `  ${tag}\n`).join("")}schema is now at version ${latest}\n`,
    );

    const second = await runCli(["migrate"], { databaseUrl: database.url });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(`schema is up to date (version ${latest}); nothing to apply\n`);
  });

  it("status shows the schema, workflows, counts by status, the oldest queued run and live workers", async () => {
    store = await openStore(database.url);
    await store.createWorkflow({ name: "zip_files" });
    await store.createWorkflow({ name: "send_email" });
    const zip = createRunFactory(store, "zip_files");
    await zip.succeeded();
    await zip.failed();
    await zip.running();
    const email = createRunFactory(store, "send_email");
    await email.paused();
    await email.queued();
    await email.queued();
    await store.cancelRun({ runId: await email.queued(), reason: "not needed" });
    // A worker that stopped is registered but not live.
    const stopped = await store.registerWorker({ name: "old-worker", workflow: "send_email" });
    await store.deregisterWorker({ workerId: stopped.workerId });

    const result = await runCli(["status"], { databaseUrl: database.url.replace("postgres://postgres@", "postgres://postgres:not-needed@") });
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe(`database   ${database.url.replace("postgres://postgres@", "postgres://postgres:***@")}`);
    expect(result.stdout).not.toContain("not-needed");
    expect(lines[1]).toBe(`schema     ${latest} (up to date)`);
    expect(lines[2]).toBe("workflows  send_email, zip_files");
    expect(result.stdout).toMatch(/WORKFLOW\s+QUEUED\s+RUNNING\s+PAUSED\s+SUCCESS\s+ERROR\s+CANCELLED\s+ALL\n/);
    expect(result.stdout).toMatch(/\nsend_email\s+2\s+0\s+1\s+0\s+0\s+1\s+4\n/);
    expect(result.stdout).toMatch(/\nzip_files\s+0\s+1\s+0\s+1\s+1\s+0\s+3\n/);
    expect(result.stdout).toMatch(/\ntotal\s+2\s+1\s+1\s+1\s+1\s+1\s+7\n/);
    expect(result.stdout).toMatch(/\nqueued {5}2 claimable now, oldest waiting \d+(ms|s)\n/);
    // The run factory registered one worker per workflow; both are live, the stopped one is not.
    expect(result.stdout).toContain("workers    2 live (seen in the last minute), 3 registered\n");
    expect(result.stdout).toMatch(/ {2}NAME\s+WORKFLOW\s+STARTED\s+LAST SEEN\s+WORKER ID\n {2}test-worker\s+/);
  });

  it("status --json gives the same facts to machines", async () => {
    const result = await runCli(["status", "--json"], { databaseUrl: database.url });
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout) as {
      schema: { version: string; pending: string[] };
      workflows: { name: string; byStatus: Record<string, number> }[];
      byStatus: Record<string, number>;
      visibleQueued: number;
      oldestQueuedAgeMs: number;
      liveWorkers: unknown[];
    };
    expect(status.schema).toEqual({ version: latest, pending: [] });
    expect(status.workflows.map((workflow) => workflow.name)).toEqual(["send_email", "zip_files"]);
    expect(status.byStatus).toEqual({ QUEUED: 2, RUNNING: 1, PAUSED: 1, SUCCESS: 1, ERROR: 1, CANCELLED: 1 });
    expect(status.visibleQueued).toBe(2);
    expect(status.oldestQueuedAgeMs).toBeGreaterThanOrEqual(0);
    expect(status.liveWorkers).toHaveLength(2);
  });
});
