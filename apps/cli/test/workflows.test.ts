import type { WorkflowStore } from "@pgqrs/core/storage";
import { postgresAvailable, type TestDatabase } from "@pgqrs/vitest-config/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/cli";
import { migratedDatabase, openStore } from "./support/database";

const hasPostgres = await postgresAvailable();

describe.skipIf(!hasPostgres)("pgqrs workflows", () => {
  let database: TestDatabase;
  let store: WorkflowStore;
  beforeAll(async () => {
    database = await migratedDatabase();
    store = await openStore(database.url);
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it("list says how to create one when there are none", async () => {
    const result = await runCli(["workflows", "list"], { databaseUrl: database.url });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("no workflows yet; create one with: pgqrs workflows create NAME\n");
  });

  it("create makes the workflow, and a second create changes nothing", async () => {
    const created = await runCli(["workflows", "create", "zip_files"], { databaseUrl: database.url });
    expect(created.code).toBe(0);
    expect(created.stdout).toBe("created workflow zip_files\n");
    const record = await store.getWorkflow({ name: "zip_files" });
    expect(record?.name).toBe("zip_files");

    const again = await runCli(["workflows", "create", "zip_files"], { databaseUrl: database.url });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^workflow zip_files already exists \(created \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\); nothing changed\n$/);
    expect((await store.getWorkflow({ name: "zip_files" }))?.createdAt).toEqual(record?.createdAt);
  });

  it("create refuses a bad name with exit 2 and writes nothing", async () => {
    const result = await runCli(["workflows", "create", "../x"], { databaseUrl: database.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: invalid workflow name "\.\.\/x": use 1-128 characters/);
    expect((await store.listWorkflows()).map((workflow) => workflow.name)).toEqual(["zip_files"]);
  });

  it("list shows every workflow by name, as a table or JSON", async () => {
    await store.createWorkflow({ name: "billing.send-invoice" });
    const table = await runCli(["workflows", "list"], { databaseUrl: database.url });
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+CREATED\s+STATE$/);
    expect(lines[1]).toMatch(/^billing\.send-invoice\s+\S+ \S+\s+active$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual(["billing.send-invoice", "zip_files"]);

    const json = await runCli(["workflows", "list", "--json"], { databaseUrl: database.url });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { name: string; createdAt: string; pausedAt: string | null }[];
    expect(parsed.map((workflow) => workflow.name)).toEqual(["billing.send-invoice", "zip_files"]);
    expect(Number.isNaN(Date.parse(parsed[0]?.createdAt ?? ""))).toBe(false);
    expect(parsed.map((workflow) => workflow.pausedAt)).toEqual([null, null]);
  });

  it("pause stops claims of the workflow's runs, list shows it paused, resume lets them be claimed again", async () => {
    const { workerId } = await store.registerWorker({ name: "test-worker", workflow: "zip_files" });
    const { message } = await store.enqueue({ workflow: "zip_files", input: {} });

    const paused = await runCli(["workflows", "pause", "zip_files"], { databaseUrl: database.url });
    expect(paused.code).toBe(0);
    expect(paused.stdout).toBe(
      "paused workflow zip_files: workers claim none of its runs; runs in flight finish and triggers still enqueue\n" +
        "resume it with: pgqrs workflows resume zip_files\n",
    );
    const record = await store.getWorkflow({ name: "zip_files" });
    expect(record?.pausedAt).toBeInstanceOf(Date);
    expect(await store.claimRuns({ workerId, workflow: "zip_files", limit: 1, leaseMs: 60_000 })).toEqual([]);

    const again = await runCli(["workflows", "pause", "zip_files"], { databaseUrl: database.url });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^workflow zip_files was already paused \(since \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\); nothing changed\n/);
    expect((await store.getWorkflow({ name: "zip_files" }))?.pausedAt).toEqual(record?.pausedAt);

    const table = await runCli(["workflows", "list"], { databaseUrl: database.url });
    expect(table.stdout).toMatch(/\nzip_files\s+\S+ \S+\s+paused since \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\n/);
    const json = JSON.parse((await runCli(["workflows", "list", "--json"], { databaseUrl: database.url })).stdout) as {
      name: string;
      pausedAt: string | null;
    }[];
    expect(json.find((workflow) => workflow.name === "zip_files")?.pausedAt).toBe(record?.pausedAt?.toISOString());

    const resumed = await runCli(["workflows", "resume", "zip_files"], { databaseUrl: database.url });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toBe("resumed workflow zip_files: workers claim its runs again\n");
    expect((await store.getWorkflow({ name: "zip_files" }))?.pausedAt).toBeNull();
    const claimed = await store.claimRuns({ workerId, workflow: "zip_files", limit: 1, leaseMs: 60_000 });
    expect(claimed.map((run) => run.runId)).toEqual([message.runId]);

    const notPaused = await runCli(["workflows", "resume", "zip_files"], { databaseUrl: database.url });
    expect(notPaused.code).toBe(0);
    expect(notPaused.stdout).toBe("workflow zip_files was not paused; nothing changed\n");
  });

  it("pause and resume of an unknown workflow exit 1", async () => {
    for (const verb of ["pause", "resume"]) {
      const result = await runCli(["workflows", verb, "nope"], { databaseUrl: database.url });
      expect(result.code, verb).toBe(1);
      expect(result.stderr).toBe('error: workflow "nope" does not exist; create it with: pgqrs workflows create nope\n');
    }
    expect(await store.getWorkflow({ name: "nope" })).toBeNull();
  });
});
