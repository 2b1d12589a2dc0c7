import type { WorkflowStore } from "@pgqrs/core/storage";
import { postgresAvailable } from "@pgqrs/vitest-config/postgres";
import type { TestDatabase } from "@pgqrs/vitest-config/postgres";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../src/logger";
import { createPostgresStore } from "../src/store";
import { migratedDatabase, testPool } from "./support/databases";

const hasPostgres = await postgresAvailable();
const runCount = 2_000;
const claimers = 20;

describe.skipIf(!hasPostgres)("claimRuns under concurrency", () => {
  let database: TestDatabase;
  const pools: pg.Pool[] = [];
  const stores: WorkflowStore[] = [];

  beforeAll(async () => {
    database = await migratedDatabase();
    // 20 claimers on 20 separate pools of one connection each: 20 real backends competing for rows.
    for (let index = 0; index < claimers; index++) {
      const pool = testPool(database.url, 1);
      pools.push(pool);
      stores.push(createPostgresStore({ pool, logger: silentLogger }));
    }
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    for (const pool of pools) await pool.end();
    await database.drop();
  });

  it(`hands each of ${runCount} runs to exactly one of ${claimers} claimers`, async () => {
    const [first] = stores;
    if (!first) throw new Error("no store");
    await first.createWorkflow({ name: "contended" });
    for (let batch = 0; batch < runCount; batch += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, index) =>
          stores[index % claimers]?.enqueue({ workflow: "contended", input: { n: batch + index } }),
        ),
      );
    }
    const claimedBy = await Promise.all(
      stores.map(async (store, index) => {
        const { workerId } = await store.registerWorker({ name: `claimer-${index}`, workflow: "contended" });
        const mine: string[] = [];
        for (;;) {
          const runs = await store.claimRuns({ workerId, workflow: "contended", limit: 7, leaseMs: 600_000 });
          mine.push(...runs.map((run) => run.runId));
          // SKIP LOCKED can return nothing while other claimers still hold the last rows; stop only when none is left.
          if (runs.length === 0 && (await store.countRuns({ workflow: "contended" })).visibleQueued === 0) return mine;
        }
      }),
    );
    const all = claimedBy.flat();
    expect(all).toHaveLength(runCount);
    expect(new Set(all).size).toBe(runCount);
    // More than one claimer took part (the test would prove little if one connection did all the work).
    expect(claimedBy.filter((mine) => mine.length > 0).length).toBeGreaterThan(1);

    const check = pools[0];
    if (!check) throw new Error("no pool");
    const rows = await check.query<{ status: string; attempt: number; n: number }>(
      "select status, attempt, count(*)::int as n from pgqrs.runs group by status, attempt",
    );
    expect(rows.rows).toEqual([{ status: "RUNNING", attempt: 1, n: runCount }]);
  });
});
