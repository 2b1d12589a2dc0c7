import type { WorkflowStore } from "@pgqrs/core/storage";
import { postgresAvailable, type TestDatabase } from "@pgqrs/vitest-config/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/cli";
import { createRunFactory, migratedDatabase, openStore } from "./support/database";

const hasPostgres = await postgresAvailable();

describe.skipIf(!hasPostgres)("pgqrs runs", () => {
  let database: TestDatabase;
  let store: WorkflowStore;
  const ids = { succeeded: "", failed: "", running: "", paused: "", retried: "", queued: "", other: "" };
  const cli = (args: string[]) => runCli(args, { databaseUrl: database.url });

  beforeAll(async () => {
    database = await migratedDatabase();
    store = await openStore(database.url);
    await store.createWorkflow({ name: "zip_files" });
    await store.createWorkflow({ name: "send_email" });
    const zip = createRunFactory(store, "zip_files");
    // Oldest first; queued runs last, since every other helper claims the oldest visible run.
    ids.succeeded = await zip.succeeded();
    ids.failed = await zip.failed();
    ids.running = await zip.running();
    ids.paused = await zip.paused();
    ids.retried = await zip.retriedThenSucceeded();
    ids.queued = await zip.queued({ bucket: "photos" });
    ids.other = await createRunFactory(store, "send_email").queued({ to: "a@example.com" });
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it("list shows a table newest first", async () => {
    const result = await cli(["runs", "list"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^\s*RUN\s+WORKFLOW\s+STATUS\s+ATTEMPT\s+CREATED\s+FINISHED\s+LAST ERROR$/);
    const rows = lines.slice(1).map((line) => line.trim().split(/\s+/));
    expect(rows.map((row) => row[0])).toEqual([
      ids.other,
      ids.queued,
      ids.retried,
      ids.paused,
      ids.running,
      ids.failed,
      ids.succeeded,
    ]);
    expect(rows.map((row) => row[2])).toEqual(["QUEUED", "QUEUED", "SUCCESS", "PAUSED", "RUNNING", "ERROR", "SUCCESS"]);
    expect(result.stdout).toMatch(new RegExp(`\\n\\s*${ids.failed}\\s+zip_files\\s+ERROR\\s+1\\s+.*PermanentError: bucket is gone`));
    expect(result.stdout).not.toContain("next cursor");
  });

  it("list filters by workflow and status", async () => {
    const byWorkflow = await cli(["runs", "list", "--workflow", "send_email"]);
    expect(byWorkflow.code).toBe(0);
    expect(byWorkflow.stdout.trimEnd().split("\n").slice(1).map((line) => line.trim().split(/\s+/)[0])).toEqual([ids.other]);

    const byStatus = await cli(["runs", "list", "--status", "success", "--workflow", "zip_files"]);
    expect(byStatus.code).toBe(0);
    expect(byStatus.stdout.trimEnd().split("\n").slice(1).map((line) => line.trim().split(/\s+/)[0])).toEqual([
      ids.retried,
      ids.succeeded,
    ]);

    const none = await cli(["runs", "list", "--workflow", "nothing_here"]);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe("no runs match\n");
  });

  it("list pages with the printed cursor and visits every run once", async () => {
    const seen: string[] = [];
    let args = ["runs", "list", "--limit", "3"];
    for (let page = 0; page < 10; page += 1) {
      const result = await cli(args);
      expect(result.code).toBe(0);
      const rowLines = result.stdout.split("\n\n")[0]?.trimEnd().split("\n").slice(1) ?? [];
      seen.push(...rowLines.map((line) => line.trim().split(/\s+/)[0] ?? ""));
      const cursor = /^next cursor: (\S+)$/m.exec(result.stdout)?.[1];
      if (cursor === undefined) break;
      expect(result.stdout).toContain(`next page:   pgqrs runs list --limit 3 --cursor ${cursor}`);
      args = ["runs", "list", "--limit", "3", "--cursor", cursor];
    }
    expect(seen).toEqual([ids.other, ids.queued, ids.retried, ids.paused, ids.running, ids.failed, ids.succeeded]);
  });

  it("list --json returns the page and the next cursor", async () => {
    const result = await cli(["runs", "list", "--limit", "2", "--json"]);
    expect(result.code).toBe(0);
    const page = JSON.parse(result.stdout) as { runs: { runId: string; status: string }[]; nextCursor: string | null };
    expect(page.runs.map((run) => run.runId)).toEqual([ids.other, ids.queued]);
    expect(typeof page.nextCursor).toBe("string");
  });

  it("list rejects a cursor it did not print with exit 2", async () => {
    const result = await cli(["runs", "list", "--cursor", "not-a-cursor"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("error: --cursor is not one pgqrs printed; pass the 'next cursor' value back unchanged\n");
  });

  it("show prints status, attempts, times, the error with its cause chain and each step", async () => {
    const result = await cli(["runs", "show", ids.failed]);
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toContain(`run          ${ids.failed}\nworkflow     zip_files\nstatus       ERROR\nattempts     1\n`);
    expect(out).toMatch(/\ncreated {6}\d{4}-\d\d-\d\dT[\d:.]+Z\nstarted {6}\d{4}-[\d\-T:.]+Z\nfinished {5}\d{4}-[\d\-T:.]+Z\n/);
    expect(out).toContain("error        PermanentError: bucket is gone\n             (attempt 1, step download_files)\n");
    expect(out).toContain("  caused by  S3Error: NoSuchBucket\n  caused by  Error: HTTP 404\n");
    expect(out).toContain("steps        1 completed\n");
    // ["a.txt","b.txt"] is 17 bytes of JSON.
    expect(out).toMatch(/\n {2}list_files\s+\d{4}-[\d\-T:.]+Z\s+17 B\n/);
    expect(out).toContain("retries      none\n");
  });

  it("show of a run that retried once and then succeeded", async () => {
    const result = await cli(["runs", "show", ids.retried]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("status       SUCCESS\nattempts     2\n");
    expect(result.stdout).toContain("retries      1 in download_files\n");
    expect(result.stdout).toContain("last error   TransientError: download timed out\n             (attempt 1, step download_files)\n  caused by  Error: socket hang up\n");
    expect(result.stdout).toMatch(/\n {2}STEP\s+COMPLETED AT\s+OUTPUT\n {2}list_files\s+\S+\s+17 B\n {2}download_files\s+\S+\s+11 B\n$/);
  });

  it("show --json gives the record, each step's output and its size", async () => {
    const result = await cli(["runs", "show", ids.retried, "--json"]);
    expect(result.code).toBe(0);
    const run = JSON.parse(result.stdout) as {
      status: string;
      attempt: number;
      error: { causes: { name: string; message: string }[] };
      output: unknown;
      steps: { stepId: string; outputBytes: number; output: unknown; completedAt: string }[];
    };
    expect(run.status).toBe("SUCCESS");
    expect(run.attempt).toBe(2);
    expect(run.output).toEqual({ archivePath: "/tmp/photos.zip", fileCount: 2 });
    expect(run.error.causes).toEqual([{ name: "Error", message: "socket hang up" }]);
    expect(run.steps.map((step) => [step.stepId, step.outputBytes, step.output])).toEqual([
      ["list_files", 17, ["a.jpg", "b.jpg"]],
      ["download_files", 11, { files: 2 }],
    ]);
  });

  it("show of an unknown run exits 1", async () => {
    const result = await cli(["runs", "show", "987654321"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("error: run 987654321 not found; list runs with: pgqrs runs list\n");
    expect(result.stdout).toBe("");
  });

  it("resume makes a paused run claimable now; a run that is not paused exits 1", async () => {
    const before = await store.getRun({ runId: ids.paused });
    expect(before?.visibleAt?.getTime()).toBeGreaterThan(Date.now() + 60_000);
    const result = await cli(["runs", "resume", ids.paused]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`resumed run ${ids.paused} (zip_files): PAUSED → claimable now, 0 completed step(s) kept\n`);
    const after = await store.getRun({ runId: ids.paused });
    expect(after?.visibleAt?.getTime()).toBeLessThanOrEqual(Date.now() + 5_000);

    const notPaused = await cli(["runs", "resume", ids.running]);
    expect(notPaused.code).toBe(1);
    expect(notPaused.stderr).toMatch(/^error: .*PAUSED/);
    expect((await store.getRun({ runId: ids.running }))?.status).toBe("RUNNING");

    const unknown = await cli(["runs", "resume", "987654321"]);
    expect(unknown.code).toBe(1);
  });

  it("retry queues a failed run again on the same run id, keeping its steps", async () => {
    const result = await cli(["runs", "retry", ids.failed]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `queued run ${ids.failed} (zip_files) again: ERROR → QUEUED, 1 completed step(s) kept\nfollow it with: pgqrs wait ${ids.failed}\n`,
    );
    const run = await store.getRun({ runId: ids.failed });
    expect(run?.status).toBe("QUEUED");
    expect(run?.steps.map((step) => step.stepId)).toEqual(["list_files"]);

    const again = await cli(["runs", "retry", ids.failed]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: .*ERROR/);

    const unknown = await cli(["runs", "retry", "987654321"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("error: run 987654321 not found; list runs with: pgqrs runs list\n");
  });
});
