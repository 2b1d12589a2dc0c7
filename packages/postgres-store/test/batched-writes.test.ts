import { LeaseLostError } from "@pgqrs/core";
import type { ClaimedRun, WorkflowStore } from "@pgqrs/core/storage";
import { postgresAvailable } from "@pgqrs/vitest-config/postgres";
import type { TestDatabase } from "@pgqrs/vitest-config/postgres";
import type pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../src/logger";
import { createPostgresStore } from "../src/store";
import { migratedDatabase, recordStatements, testPool, truncateAll } from "./support/databases";

const hasPostgres = await postgresAvailable();

const lost = (error: unknown) => LeaseLostError.isInstance(error);

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

describe.skipIf(!hasPostgres)("batched step writes and completions", () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let store: WorkflowStore;
  const statements: string[] = [];

  beforeAll(async () => {
    database = await migratedDatabase();
    pool = testPool(database.url, 4);
    recordStatements(pool, statements);
    store = createPostgresStore({ pool, logger: silentLogger });
  });
  beforeEach(async () => {
    await truncateAll(pool);
    statements.length = 0;
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await database.drop();
  });

  async function claimed(count: number, on: WorkflowStore = store): Promise<{ runs: ClaimedRun[]; workerId: string }> {
    await store.createWorkflow({ name: "wf" });
    for (let i = 0; i < count; i++) await store.enqueue({ workflow: "wf", input: i });
    const { workerId } = await on.registerWorker({ name: "w", workflow: "wf" });
    const runs = await on.claimRuns({ workerId, workflow: "wf", limit: count, leaseMs: 30_000 });
    expect(runs).toHaveLength(count);
    return { runs, workerId };
  }

  it("writes the steps of runs that finish together in one statement, each under its own lease", async () => {
    const { runs } = await claimed(5);
    const [a, b, c, d, e] = runs as [ClaimedRun, ClaimedRun, ClaimedRun, ClaimedRun, ClaimedRun];
    await store.saveStep({ runId: a.runId, leaseToken: a.leaseToken, stepId: "s", output: "first" });

    statements.length = 0;
    const results = await Promise.allSettled([
      store.saveStep({ runId: a.runId, leaseToken: a.leaseToken, stepId: "s", output: "second" }),
      store.saveStep({ runId: b.runId, leaseToken: b.leaseToken, stepId: "s", output: null }),
      store.saveStep({ runId: c.runId, leaseToken: c.leaseToken, stepId: "s", output: undefined }),
      store.saveStep({ runId: d.runId, leaseToken: crypto.randomUUID(), stepId: "s", output: 1 }),
      store.saveStep({ runId: e.runId, leaseToken: e.leaseToken, stepId: "s\ud800", output: { k: [1, "\u0000"] } }),
    ]);
    expect(statements).toHaveLength(1);
    expect(results[0]).toEqual({ status: "fulfilled", value: { output: "first", created: false, cancelRequested: false } });
    expect(results[1]).toEqual({ status: "fulfilled", value: { output: null, created: true, cancelRequested: false } });
    expect(results[2]).toEqual({ status: "fulfilled", value: { output: undefined, created: true, cancelRequested: false } });
    expect(results[3]?.status === "rejected" && lost(results[3].reason)).toBe(true);
    expect(results[4]).toMatchObject({ status: "fulfilled", value: { created: true } });

    const steps = async (run: ClaimedRun) => (await store.getRun({ runId: run.runId }))?.steps.map((s) => [s.stepId, s.output]);
    expect(await steps(a)).toEqual([["s", "first"]]);
    expect(await steps(b)).toEqual([["s", null]]);
    expect(await steps(c)).toEqual([["s", undefined]]);
    expect(await steps(d)).toEqual([]);
    // A lone surrogate in a step id is stored as U+FFFD, as a text parameter would be.
    expect(await steps(e)).toEqual([["s\ufffd", { k: [1, "\u0000"] }]]);
  });

  it("completes runs that finish together in one statement; a lost lease fails alone", async () => {
    const { runs } = await claimed(4);
    statements.length = 0;
    const results = await Promise.allSettled(
      runs.map((run, i) =>
        store.completeRun({ runId: run.runId, leaseToken: i === 2 ? crypto.randomUUID() : run.leaseToken, output: { i } }),
      ),
    );
    expect(statements.filter((text) => !text.includes("json_array_elements_text"))).toHaveLength(1);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(results[2]?.status === "rejected" && lost(results[2].reason)).toBe(true);

    const after = await Promise.all(runs.map((run) => store.getRun({ runId: run.runId })));
    expect(after.map((run) => run?.status)).toEqual(["SUCCESS", "SUCCESS", "RUNNING", "SUCCESS"]);
    expect(after.map((run) => run?.output)).toEqual([{ i: 0 }, { i: 1 }, undefined, { i: 3 }]);
    const archived = await pool.query<{ id: string; archived: boolean }>(
      "select m.id::text, m.archived_at is not null as archived from pgqrs.messages m order by m.id",
    );
    expect(archived.rows.map((row) => row.archived)).toEqual([true, true, false, true]);
  });

  it("writes one run's step and completes another in the same statement when they arrive together", async () => {
    const { runs } = await claimed(3);
    const [a, b, c] = runs as [ClaimedRun, ClaimedRun, ClaimedRun];
    statements.length = 0;
    const [saved, completed, stale] = await Promise.allSettled([
      store.saveStep({ runId: a.runId, leaseToken: a.leaseToken, stepId: "s", output: { a: 1 } }),
      store.completeRun({ runId: b.runId, leaseToken: b.leaseToken, output: "b done" }),
      store.completeRun({ runId: c.runId, leaseToken: crypto.randomUUID(), output: "never" }),
    ]);
    expect(statements.filter((text) => !text.includes("json_array_elements_text"))).toHaveLength(1);
    expect(saved).toEqual({ status: "fulfilled", value: { output: { a: 1 }, created: true, cancelRequested: false } });
    expect(completed.status).toBe("fulfilled");
    expect(stale?.status === "rejected" && lost(stale.reason)).toBe(true);
    expect(await store.getRun({ runId: a.runId })).toMatchObject({ status: "RUNNING", steps: [{ stepId: "s", output: { a: 1 } }] });
    expect(await store.getRun({ runId: b.runId })).toMatchObject({ status: "SUCCESS", output: "b done" });
    expect(await store.getRun({ runId: c.runId })).toMatchObject({ status: "RUNNING", output: undefined });
  });

  it("fails only the write the database refuses, trying the others of its statement again alone", async () => {
    const { runs } = await claimed(3);
    const [a, b, c] = runs as [ClaimedRun, ClaimedRun, ClaimedRun];
    // A check the database enforces on one row: the statement carrying it fails as a whole.
    await pool.query(`alter table pgqrs.steps add constraint no_poison check (output::text <> '"poison"')`);
    try {
      statements.length = 0;
      const results = await Promise.allSettled([
        store.saveStep({ runId: a.runId, leaseToken: a.leaseToken, stepId: "s", output: 1 }),
        store.saveStep({ runId: b.runId, leaseToken: b.leaseToken, stepId: "s", output: "poison" }),
        store.saveStep({ runId: c.runId, leaseToken: c.leaseToken, stepId: "s", output: 3 }),
      ]);
      // The batch of three, then each alone.
      expect(statements).toHaveLength(4);
      expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      expect(results[1]?.status === "rejected" && String(results[1].reason)).toMatch(/no_poison/);
      const stored = await pool.query<{ run_id: string }>("select run_id::text from pgqrs.steps order by run_id");
      expect(stored.rows.map((row) => row.run_id)).toEqual([a.runId, c.runId]);
    } finally {
      await pool.query("alter table pgqrs.steps drop constraint no_poison");
    }
  });

  it("never deadlocks: heartbeats, a zombie's heartbeats, step writes and completions over the same runs in shuffled orders", async () => {
    const pools = [testPool(database.url, 4), testPool(database.url, 4), testPool(database.url, 4)] as const;
    const [ownerStore, zombieStore, heartbeatStore] = pools.map((each) => createPostgresStore({ pool: each, logger: silentLogger }));
    try {
      const { runs, workerId } = await claimed(40, ownerStore);
      const leases = runs.map((run) => ({ runId: run.runId, leaseToken: run.leaseToken }));
      const zombieLeases = runs.map((run) => ({ runId: run.runId, leaseToken: crypto.randomUUID() }));
      let writing = true;
      const heartbeats = async (on: WorkflowStore, of: typeof leases) => {
        let beats = 0;
        while (writing) {
          await on.extendLeases({ workerId, leaseMs: 30_000, leases: shuffled(of) });
          beats += 1;
        }
        return beats;
      };
      const beating = [heartbeats(heartbeatStore as WorkflowStore, leases), heartbeats(zombieStore as WorkflowStore, zombieLeases)];
      for (let round = 0; round < 30; round++) {
        const saved = await Promise.all(
          shuffled(runs).map((run) =>
            (ownerStore as WorkflowStore).saveStep({ runId: run.runId, leaseToken: run.leaseToken, stepId: `s${round}`, output: round }),
          ),
        );
        expect(saved.every((result) => result.created)).toBe(true);
      }
      await Promise.all(
        shuffled(runs).map((run) => (ownerStore as WorkflowStore).completeRun({ runId: run.runId, leaseToken: run.leaseToken, output: 1 })),
      );
      writing = false;
      const beats = await Promise.all(beating);
      expect(beats.every((count) => count > 0)).toBe(true);
      const done = await pool.query<{ status: string; steps: number }>(
        "select r.status, (select count(*) from pgqrs.steps s where s.run_id = r.id)::int as steps from pgqrs.runs r",
      );
      expect(done.rows).toHaveLength(40);
      expect(done.rows.every((row) => row.status === "SUCCESS" && row.steps === 30)).toBe(true);
    } finally {
      for (const each of [ownerStore, zombieStore, heartbeatStore]) await each?.close();
      for (const each of pools) await each.end();
    }
  });
});
