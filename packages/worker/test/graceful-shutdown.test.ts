/**
 * SIGTERM to a real worker process during a long step: the worker stops claiming, aborts the step at its
 * shutdown timeout and releases the run (QUEUED, visible now, no failure counted) before it exits; another
 * worker then finishes the run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { WorkflowStore } from "@pgqrs/core";
import { connect } from "@pgqrs/postgres-store";
import { postgresAvailable, type TestDatabase } from "@pgqrs/vitest-config/postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { migratedDatabase } from "./support/database";
import { slowWorkflow } from "./fixtures/workflows";
import { killProcess, startWorkerProcess, type WorkerProcess } from "./support/processes";

const hasPostgres = await postgresAvailable();

describe.skipIf(!hasPostgres)("SIGTERM during a long step", () => {
  let database: TestDatabase;
  let store: WorkflowStore;
  let folder: string;
  const processes: WorkerProcess[] = [];

  beforeAll(async () => {
    database = await migratedDatabase();
    store = await connect(database.url, { migrate: false });
    await store.createWorkflow({ name: slowWorkflow });
    folder = mkdtempSync(join(tmpdir(), "pgqrs-worker-shutdown-"));
  });
  afterAll(async () => {
    await Promise.all(processes.map(killProcess));
    await store?.close();
    await database?.drop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it("releases the run at once, and another worker finishes it", async () => {
    const env = {
      DATABASE_URL: database.url,
      WORKFLOW: slowWorkflow,
      RECORD_FILE: join(folder, "executions.jsonl"),
      // A long lease: only the release can make the run claimable again within the test.
      LEASE_MS: "60000",
      SHUTDOWN_TIMEOUT_MS: "300",
    };
    const first = startWorkerProcess({ ...env, WORKER_NAME: "worker-a" });
    processes.push(first);
    await first.waitFor((event) => event.event === "ready");
    const { message } = await store.enqueue({ workflow: slowWorkflow, input: {} });
    await first.waitFor((event) => event.event === "step" && event.step === "long");

    first.child.kill("SIGTERM");
    const exit = await first.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(first.events.map((event) => event.event)).toContain("stopped");
    const released = await store.getRun({ runId: message.runId });
    expect(released?.status).toBe("QUEUED");
    expect(released?.visibleAt?.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
    expect(released?.runFailures).toBe(0);
    expect(released?.stepFailures).toEqual({});
    expect(released?.error).toBeNull();
    const [registration] = (await store.listWorkers()).filter((worker) => worker.name === "worker-a");
    expect(registration?.stoppedAt).toBeInstanceOf(Date);

    const second = startWorkerProcess({ ...env, WORKER_NAME: "worker-b" });
    processes.push(second);
    await vi.waitFor(
      async () => expect((await store.getRun({ runId: message.runId }))?.status).toBe("SUCCESS"),
      { timeout: 20_000, interval: 100 },
    );
    const run = await store.getRun({ runId: message.runId });
    expect(run?.output).toEqual({ long: "worker-b" });
    expect(run?.attempt).toBe(2);
    expect(run?.runFailures).toBe(0);
  }, 60_000);
});
