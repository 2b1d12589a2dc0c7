/**
 * The database drops every connection of the worker (pg_terminate_backend, as a failover or a restart
 * does): the worker logs, reconnects and carries on; pollForever() neither resolves nor rejects.
 */
import type { Logger, WorkflowStore } from "@pgqrs/core";
import { connect } from "@pgqrs/postgres-store";
import { postgresAvailable, type TestDatabase } from "@pgqrs/vitest-config/postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { consumer, type Worker } from "../src/index";
import { migratedDatabase } from "./support/database";

const hasPostgres = await postgresAvailable();
const workflow = "survivor";
const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe.skipIf(!hasPostgres)("a worker whose database connections are terminated", () => {
  let database: TestDatabase;
  // The test's own store; the worker gets one of its own whose connections are the ones terminated.
  let store: WorkflowStore;
  let workerStore: WorkflowStore;
  let admin: pg.Client;
  let worker: Worker | undefined;

  beforeAll(async () => {
    database = await migratedDatabase();
    store = await connect(database.url, { migrate: false, logger: quiet });
    await store.createWorkflow({ name: workflow });
    workerStore = await connect(database.url, { migrate: false, logger: quiet, poolConfig: { application_name: "worker-under-test" } });
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
  });
  afterAll(async () => {
    await worker?.stop({ timeoutMs: 0 });
    await admin?.end();
    await workerStore?.close();
    await store?.close();
    await database?.drop();
  });

  async function finished(runId: string): Promise<void> {
    await vi.waitFor(async () => expect((await store.getRun({ runId }))?.status).toBe("SUCCESS"), { timeout: 20_000, interval: 50 });
  }

  it("keeps running runs after every backend of its store is terminated", async () => {
    worker = await consumer("survivor-1", 0, workflow)
      .pollIntervalMs(100)
      .handleSignals(false)
      .logger(quiet)
      .handler(async (ctx) => ctx.step("only", () => ctx.attempt))
      .create(workerStore);
    let settled: string | undefined;
    worker.pollForever().then(
      () => (settled ??= "resolved"),
      () => (settled ??= "rejected"),
    );
    const first = await store.enqueue({ workflow, input: {} });
    await finished(first.message.runId);

    const killed = await admin.query<{ terminated: boolean }>(
      // The worker's pool and its LISTEN connection (which the store names "pgqrs-listener").
      "select pg_terminate_backend(pid) as terminated from pg_stat_activity where datname = current_database() and application_name in ('worker-under-test', 'pgqrs-listener')",
    );
    expect(killed.rows.length).toBeGreaterThan(0);

    const second = await store.enqueue({ workflow, input: {} });
    await finished(second.message.runId);
    const response = await fetch(`http://127.0.0.1:${worker.port}/healthz`);
    expect(response.status).toBe(200);
    expect(settled).toBeUndefined();
  }, 60_000);
});
