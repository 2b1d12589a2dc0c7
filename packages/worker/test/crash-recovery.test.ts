/**
 * Two real worker processes on real PostgreSQL; the one running the run is SIGKILLed in step 2 of 3. The
 * other takes the run over once the lease lapses and finishes it: completed steps are not run again and each
 * step output is stored once.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { WorkflowStore } from "@pgqrs/core";
import { connect } from "@pgqrs/postgres-store";
import { postgresAvailable, type TestDatabase } from "@pgqrs/vitest-config/postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { migratedDatabase } from "./support/database";
import { crashWorkflow } from "./fixtures/workflows";
import { killProcess, startWorkerProcess, type WorkerProcess } from "./support/processes";

const hasPostgres = await postgresAvailable();

describe.skipIf(!hasPostgres)("a worker process killed mid-run", () => {
  let database: TestDatabase;
  let store: WorkflowStore;
  let folder: string;
  const processes: WorkerProcess[] = [];

  beforeAll(async () => {
    database = await migratedDatabase();
    store = await connect(database.url, { migrate: false });
    await store.createWorkflow({ name: crashWorkflow });
    folder = mkdtempSync(join(tmpdir(), "pgqrs-worker-crash-"));
  });
  afterAll(async () => {
    await Promise.all(processes.map(killProcess));
    await store?.close();
    await database?.drop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it("is finished by the other worker after the lease, without re-running completed steps", async () => {
    const recordFile = join(folder, "executions.jsonl");
    const env = { DATABASE_URL: database.url, WORKFLOW: crashWorkflow, RECORD_FILE: recordFile, LEASE_MS: "1500" };
    const first = startWorkerProcess({ ...env, WORKER_NAME: "worker-a" });
    const second = startWorkerProcess({ ...env, WORKER_NAME: "worker-b" });
    processes.push(first, second);
    await Promise.all([first.waitFor((event) => event.event === "ready"), second.waitFor((event) => event.event === "ready")]);

    const { message } = await store.enqueue({ workflow: crashWorkflow, input: { file: "a.txt" } });
    const inStep2 = (event: { event: string; step?: unknown }) => event.event === "step" && event.step === "s2";
    const entered = await Promise.race([first.waitFor(inStep2), second.waitFor(inStep2)]);
    const [victim, survivor] = entered.worker === "worker-a" ? [first, second] : [second, first];
    victim.child.kill("SIGKILL");
    expect((await victim.exited).signal).toBe("SIGKILL");

    await vi.waitFor(
      async () => expect((await store.getRun({ runId: message.runId }))?.status).toBe("SUCCESS"),
      { timeout: 20_000, interval: 100 },
    );
    const run = await store.getRun({ runId: message.runId });
    const victimName = entered.worker;
    const survivorName = victimName === "worker-a" ? "worker-b" : "worker-a";
    // s1 ran once, in the killed worker, and its stored output was replayed; s2 ran again; s3 ran once.
    expect(run?.output).toEqual({ s1: victimName, s2: survivorName, s3: survivorName });
    expect(run?.attempt).toBe(2);
    expect(run?.runFailures).toBe(1);
    expect(run?.steps.map((step) => step.stepId)).toEqual(["s1", "s2", "s3"]);
    const executions = readFileSync(recordFile, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { worker: string; step: string; attempt: number });
    expect(executions.map(({ worker, step, attempt }) => `${step}@${attempt}:${worker}`)).toEqual([
      `s1@1:${victimName}`,
      `s2@1:${victimName}`,
      `s2@2:${survivorName}`,
      `s3@2:${survivorName}`,
    ]);
    expect(survivor.child.exitCode).toBeNull();
  }, 60_000);
});
