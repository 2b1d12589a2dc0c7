import type { WorkflowStore } from "@pgqrs/core/storage";
import { postgresAvailable, type TestDatabase } from "@pgqrs/vitest-config/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/cli";
import { createRunFactory, migratedDatabase, openStore } from "./support/database";

const hasPostgres = await postgresAvailable();

describe.skipIf(!hasPostgres)("pgqrs runs cancel", () => {
  let database: TestDatabase;
  let store: WorkflowStore;
  const cli = (args: string[]) => runCli(args, { databaseUrl: database.url });

  beforeAll(async () => {
    database = await migratedDatabase();
    store = await openStore(database.url);
    // One workflow per helper kind, so each claim takes the run just enqueued.
    for (const name of ["queued_wf", "paused_wf", "running_wf", "done_wf"]) await store.createWorkflow({ name });
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it("cancels a QUEUED run at once, keeping the reason", async () => {
    const runId = await createRunFactory(store, "queued_wf").queued({ order: 1 });
    const result = await cli(["runs", "cancel", runId, "--reason", "order withdrawn"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`cancelled run ${runId} (queued_wf): QUEUED → CANCELLED (reason: order withdrawn)\n`);
    const record = await store.getRun({ runId });
    expect(record?.status).toBe("CANCELLED");
    expect(record?.cancelReason).toBe("order withdrawn");
    expect(record?.finishedAt).not.toBeNull();
  });

  it("cancels a PAUSED run at once", async () => {
    const runId = await createRunFactory(store, "paused_wf").paused();
    const result = await cli(["runs", "cancel", runId]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`cancelled run ${runId} (paused_wf): PAUSED → CANCELLED\n`);
    expect((await store.getRun({ runId }))?.status).toBe("CANCELLED");
  });

  it("asks a RUNNING run to stop: it stays RUNNING with the request recorded", async () => {
    const runId = await createRunFactory(store, "running_wf").running();
    const result = await cli(["runs", "cancel", runId, "--reason", "too slow"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `cancel requested for run ${runId} (running_wf): still RUNNING (reason: too slow); ` +
        `its worker ends it CANCELLED at the next step boundary\nfollow it with: pgqrs wait ${runId}\n`,
    );
    const record = await store.getRun({ runId });
    expect(record?.status).toBe("RUNNING");
    expect(record?.cancelRequestedAt).not.toBeNull();
    expect(record?.cancelReason).toBe("too slow");

    const shown = await cli(["runs", "show", runId]);
    expect(shown.stdout).toMatch(/\ncancel asked \d{4}-\d\d-\d\dT[\d:.]+Z \(too slow\)\n/);
  });

  it("says a CANCELLED run was already cancelled and changes nothing", async () => {
    const runId = await createRunFactory(store, "queued_wf").queued();
    await store.cancelRun({ runId, reason: "first" });
    const before = await store.getRun({ runId });
    const result = await cli(["runs", "cancel", runId, "--reason", "second"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^run ${runId} \\(queued_wf\\) was already CANCELLED at [\\d: -]+Z; nothing changed\\n$`));
    expect(await store.getRun({ runId })).toEqual(before);
  });

  it("shows a cancelled run with its reason, lists it by status, and --json prints the run", async () => {
    const runId = await createRunFactory(store, "queued_wf").queued();
    const json = await cli(["runs", "cancel", runId, "--reason", "duplicate", "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ runId, workflow: "queued_wf", status: "CANCELLED" });

    const shown = await cli(["runs", "show", runId]);
    expect(shown.stdout).toContain("status       CANCELLED\n");
    expect(shown.stdout).toMatch(/\ncancelled {4}\d{4}-\d\d-\d\dT[\d:.]+Z \(duplicate\)\n/);
    const shownJson = JSON.parse((await cli(["runs", "show", runId, "--json"])).stdout) as Record<string, unknown>;
    expect(shownJson).toMatchObject({ status: "CANCELLED", cancelReason: "duplicate" });
    expect(typeof shownJson.cancelRequestedAt).toBe("string");

    const listed = await cli(["runs", "list", "--status", "cancelled", "--workflow", "queued_wf"]);
    expect(listed.code).toBe(0);
    const rows = listed.stdout.trimEnd().split("\n").slice(1).map((line) => line.trim().split(/\s+/));
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows[0]?.[0]).toBe(runId);
    expect(rows.every((row) => row[2] === "CANCELLED")).toBe(true);
  });

  it("refuses a run that already ended SUCCESS or ERROR with exit 1 and one line", async () => {
    const factory = createRunFactory(store, "done_wf");
    const succeeded = await factory.succeeded();
    const ok = await cli(["runs", "cancel", succeeded]);
    expect(ok.code).toBe(1);
    expect(ok.stderr).toBe(`error: run ${succeeded} already ended SUCCESS; only QUEUED, PAUSED or RUNNING runs can be cancelled\n`);
    expect(ok.stdout).toBe("");
    expect((await store.getRun({ runId: succeeded }))?.status).toBe("SUCCESS");

    const failed = await factory.failed();
    const error = await cli(["runs", "cancel", failed]);
    expect(error.code).toBe(1);
    expect(error.stderr).toBe(`error: run ${failed} already ended ERROR; only QUEUED, PAUSED or RUNNING runs can be cancelled\n`);
    expect((await store.getRun({ runId: failed }))?.cancelRequestedAt).toBeNull();
  });

  it("exits 1 for an unknown run", async () => {
    const result = await cli(["runs", "cancel", "987654321"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("error: run 987654321 not found; list runs with: pgqrs runs list\n");
  });

  it("wait exits 1 when the run ends CANCELLED", async () => {
    const runId = await createRunFactory(store, "queued_wf").queued();
    await store.cancelRun({ runId, reason: "changed my mind" });
    const result = await cli(["wait", runId]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(`error: run ${runId} ended CANCELLED (changed my mind); details: pgqrs runs show ${runId}\n`);
  });
});
