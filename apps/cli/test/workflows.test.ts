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
    expect(lines[0]).toMatch(/^NAME\s+CREATED$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual(["billing.send-invoice", "zip_files"]);

    const json = await runCli(["workflows", "list", "--json"], { databaseUrl: database.url });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { name: string; createdAt: string }[];
    expect(parsed.map((workflow) => workflow.name)).toEqual(["billing.send-invoice", "zip_files"]);
    expect(Number.isNaN(Date.parse(parsed[0]?.createdAt ?? ""))).toBe(false);
  });
});
