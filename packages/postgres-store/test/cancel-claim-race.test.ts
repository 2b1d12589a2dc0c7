import type { WorkflowStore } from "@pgqrs/core/storage";
import { postgresAvailable } from "@pgqrs/vitest-config/postgres";
import type { TestDatabase } from "@pgqrs/vitest-config/postgres";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../src/logger";
import { createPostgresStore } from "../src/store";
import { migratedDatabase, testPool } from "./support/databases";

const hasPostgres = await postgresAvailable();
const iterations = 200;

/** Yields to the event loop 0–2 times, so that either call may reach the database first. */
async function jitter(): Promise<void> {
  const hops = Math.floor(Math.random() * 3);
  for (let hop = 0; hop < hops; hop++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe.skipIf(!hasPostgres)("cancelRun racing claimRuns on PostgreSQL", () => {
  let database: TestDatabase;
  const pools: pg.Pool[] = [];
  let claimer: WorkflowStore;
  let canceller: WorkflowStore;

  beforeAll(async () => {
    database = await migratedDatabase();
    const claimPool = testPool(database.url, 1);
    const cancelPool = testPool(database.url, 1);
    pools.push(claimPool, cancelPool);
    claimer = createPostgresStore({ pool: claimPool, logger: silentLogger });
    canceller = createPostgresStore({ pool: cancelPool, logger: silentLogger });
  });
  afterAll(async () => {
    await claimer?.close();
    await canceller?.close();
    for (const pool of pools) await pool.end();
    await database?.drop();
  });

  it(`never leaves a CANCELLED run leased, nor a claimed run without its request, in ${iterations} races`, async () => {
    await claimer.createWorkflow("cancellable");
    const { workerId } = await claimer.registerWorker({ name: "racer", workflow: "cancellable" });
    let claimWon = 0;
    for (let index = 0; index < iterations; index++) {
      const { message } = await claimer.enqueue({ workflow: "cancellable", input: { index } });
      const [claimed, cancelled] = await Promise.all([
        jitter().then(() => claimer.claimRuns({ workerId, workflow: "cancellable", limit: 1, leaseMs: 600_000 })),
        jitter().then(() => canceller.cancelRun({ runId: message.runId, reason: "race" })),
      ]);
      const run = claimed[0];
      if (run) {
        // The claim took the row first: the cancel only recorded its request, which the worker hears next.
        claimWon += 1;
        expect(run.runId).toBe(message.runId);
        expect(cancelled).toMatchObject({ status: "RUNNING", cancelReason: "race" });
        const saved = await claimer.saveStep({ runId: run.runId, leaseToken: run.leaseToken, stepId: "s", output: 1 });
        expect(saved.cancelRequested).toBe(true);
        await claimer.acknowledgeCancel({ runId: run.runId, leaseToken: run.leaseToken });
      } else {
        expect(cancelled).toMatchObject({ status: "CANCELLED", leaseExpiresAt: null, visibleAt: null });
      }
      expect(await claimer.getRun({ runId: message.runId })).toMatchObject({ status: "CANCELLED", cancelReason: "race" });
    }
    const counts = await claimer.countRuns({ workflow: "cancellable" });
    expect(counts.byStatus.CANCELLED).toBe(iterations);
    // Both orders happened, or the test proved only one of them.
    expect(claimWon).toBeGreaterThan(0);
    expect(claimWon).toBeLessThan(iterations);
  });
});
