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
/** A wait deadline no test reaches: a run still invisible at the end was lost, not merely waiting. */
const farFuture = new Date("2100-01-01T00:00:00Z");

/** Yields to the event loop 0–2 times, so that either call may reach the database first. */
async function jitter(): Promise<void> {
  const hops = Math.floor(Math.random() * 3);
  for (let hop = 0; hop < hops; hop++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe.skipIf(!hasPostgres)("sendEvent racing pauseRun(waitEvent) on PostgreSQL", () => {
  let database: TestDatabase;
  const pools: pg.Pool[] = [];
  let pauser: WorkflowStore;
  let sender: WorkflowStore;

  beforeAll(async () => {
    database = await migratedDatabase();
    // Two pools: the pause and the send always run on different backends, really at the same time.
    const pausePool = testPool(database.url, 2);
    const sendPool = testPool(database.url, 2);
    pools.push(pausePool, sendPool);
    pauser = createPostgresStore({ pool: pausePool, logger: silentLogger });
    sender = createPostgresStore({ pool: sendPool, logger: silentLogger });
  });
  afterAll(async () => {
    await pauser?.close();
    await sender?.close();
    for (const pool of pools) await pool.end();
    await database?.drop();
  });

  it(`never loses the wake-up in ${iterations} concurrent pause/send pairs: every run is claimable at once`, async () => {
    await pauser.createWorkflow("approvals");
    const { workerId } = await pauser.registerWorker({ name: "racer", workflow: "approvals" });
    for (let index = 0; index < iterations; index++) {
      await pauser.enqueue({ workflow: "approvals", input: { index } });
    }
    const claimed = await pauser.claimRuns({ workerId, workflow: "approvals", limit: iterations, leaseMs: 600_000 });
    expect(claimed).toHaveLength(iterations);

    for (const [index, run] of claimed.entries()) {
      await Promise.all([
        jitter().then(() =>
          pauser.pauseRun({
            runId: run.runId,
            leaseToken: run.leaseToken,
            until: farFuture,
            reason: "waiting for approval",
            waitEvent: "approved",
          }),
        ),
        jitter().then(() => sender.sendEvent({ runId: run.runId, name: "approved", payload: { index } })),
      ]);
    }

    // Every run is PAUSED and due now, whichever call won each race.
    const counts = await pauser.countRuns({ workflow: "approvals" });
    expect(counts.byStatus.PAUSED).toBe(iterations);
    const again = await pauser.claimRuns({ workerId, workflow: "approvals", limit: iterations + 1, leaseMs: 600_000 });
    expect(again.map((run) => run.runId).sort()).toEqual(claimed.map((run) => run.runId).sort());
    expect(again.every((run) => run.resumedFromPause)).toBe(true);
    for (const run of again) {
      const event = await pauser.getEvent({ runId: run.runId, name: "approved" });
      expect(event?.payload).toEqual(run.input);
    }
  });
});
