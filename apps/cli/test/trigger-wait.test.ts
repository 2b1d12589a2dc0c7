import type { WorkflowStore } from "@pgqrs/core/storage";
import { postgresAvailable, type TestDatabase } from "@pgqrs/vitest-config/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startCli, waitUntil } from "./support/cli";
import { createRunFactory, migratedDatabase, openStore } from "./support/database";

const hasPostgres = await postgresAvailable();

describe.skipIf(!hasPostgres)("pgqrs trigger and pgqrs wait", () => {
  let database: TestDatabase;
  let store: WorkflowStore;
  const cli = (args: string[]) => runCli(args, { databaseUrl: database.url });

  beforeAll(async () => {
    database = await migratedDatabase();
    store = await openStore(database.url);
    await store.createWorkflow({ name: "zip_files" });
    await store.createWorkflow({ name: "report" });
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it("trigger enqueues a run with the params and prints the message id and the run id", async () => {
    const result = await cli(["trigger", "zip_files", "--params", '{"bucket":"photos","prefix":"2024/"}']);
    expect(result.code).toBe(0);
    const match = /^message {2}(\d+)\nrun {6}(\d+)\nfollow it with: pgqrs wait (\d+)\n$/.exec(result.stdout);
    expect(match).not.toBeNull();
    const run = await store.getRun({ runId: match?.[2] ?? "" });
    expect(run?.messageId).toBe(match?.[1]);
    expect(run?.status).toBe("QUEUED");
    expect(run?.input).toEqual({ bucket: "photos", prefix: "2024/" });
    expect(match?.[3]).toBe(match?.[2]);
  });

  it("trigger with an idempotency key returns the first run and creates nothing", async () => {
    const args = ["trigger", "report", "--params", '{"day":"2024-06-01"}', "--idempotency-key", "day-2024-06-01", "--json"];
    const first = await cli(args);
    expect(first.code).toBe(0);
    const message = JSON.parse(first.stdout) as { id: string; runId: string; workflow: string; created: boolean };
    expect(message).toMatchObject({ workflow: "report", created: true });

    const second = await cli(["trigger", "report", "--params", '{"day":"2024-06-01"}', "--idempotency-key", "day-2024-06-01"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`message  ${message.id}\nrun      ${message.runId}\n`);
    expect(second.stdout).toContain("nothing new was created");
    expect((await store.countRuns({ workflow: "report" })).byStatus.QUEUED).toBe(1);
  });

  it("trigger --delay-ms makes the run claimable later", async () => {
    const result = await cli(["trigger", "report", "--delay-ms", "3600000", "--json"]);
    expect(result.code).toBe(0);
    const { runId } = JSON.parse(result.stdout) as { runId: string };
    const run = await store.getRun({ runId });
    expect(run?.input).toEqual({});
    expect((run?.visibleAt?.getTime() ?? 0) - (run?.createdAt.getTime() ?? 0)).toBe(3_600_000);
  });

  it("trigger with bad JSON exits 2 and writes nothing", async () => {
    const before = await store.countRuns({});
    const result = await cli(["trigger", "zip_files", "--params", '{"bucket": }']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --params is not valid JSON/);
    expect(await store.countRuns({})).toEqual(before);
  });

  it("trigger of an unknown workflow exits 1 with the command that creates it", async () => {
    const result = await cli(["trigger", "nope", "--params", "{}"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: workflow "nope" does not exist; create it with: pgqrs workflows create nope\n');
  });

  it("wait prints the output of a finished run and exits 0", async () => {
    // A workflow of its own, so claiming takes this run and not the queued ones above.
    await store.createWorkflow({ name: "done" });
    const runId = await createRunFactory(store, "done").succeeded({ archivePath: "/tmp/a.zip" });
    const result = await cli(["wait", runId]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`run ${runId} SUCCESS after 1 attempt\noutput {"archivePath":"/tmp/a.zip"}\n`);
  });

  it("wait exits 1 with the error and its causes when the run ends ERROR", async () => {
    await store.createWorkflow({ name: "doomed" });
    const runId = await createRunFactory(store, "doomed").failed();
    const result = await cli(["wait", runId]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `error: run ${runId} ended ERROR: PermanentError: bucket is gone (caused by S3Error: NoSuchBucket; caused by Error: HTTP 404), ` +
        `attempt 1 in step download_files; details: pgqrs runs show ${runId}\n`,
    );
  });

  it("wait follows a run to its end, plain when not on a terminal", async () => {
    await store.createWorkflow({ name: "slow" });
    const { message } = await store.enqueue({ workflow: "slow", input: {} });
    const waiting = startCli(["wait", message.runId, "--timeout-ms", "60000"], { databaseUrl: database.url });
    await waitUntil("wait has read the run", () => waiting.stderr().includes(`waiting for run ${message.runId} (slow), now QUEUED`));
    const { workerId } = await store.registerWorker({ name: "test", workflow: "slow" });
    const [claimed] = await store.claimRuns({ workerId, workflow: "slow", limit: 1, leaseMs: 60_000 });
    if (!claimed) throw new Error("nothing claimed");
    await store.completeRun({ runId: claimed.runId, leaseToken: claimed.leaseToken, output: 42 });
    const result = await waiting.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`run ${message.runId} SUCCESS after 1 attempt\noutput 42\n`);
    expect(result.stderr).not.toContain("\x1b");
  });

  it("wait --timeout-ms exits 1 when the run is still going", async () => {
    const { message } = await store.enqueue({ workflow: "report", input: {}, delayMs: 3_600_000 });
    const result = await cli(["wait", message.runId, "--timeout-ms", "300"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: run ${message.runId} is still QUEUED after 300 ms; wait longer (--timeout-ms)`);
  });

  it("wait for an unknown run exits 1", async () => {
    const result = await cli(["wait", "987654321"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("error: run 987654321 not found; list runs with: pgqrs runs list\n");
  });
});
