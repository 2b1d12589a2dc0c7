import { InvalidNameError, LeaseLostError, NotJsonError, RunNotFoundError } from "@pgqrs/core";
import type { WorkflowStore } from "@pgqrs/core/storage";
import { postgresAvailable } from "@pgqrs/vitest-config/postgres";
import type { TestDatabase } from "@pgqrs/vitest-config/postgres";
import { fillPlaceholders } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { silentLogger } from "../src/logger";
import { claim } from "../src/queries/claim-runs";
import { buildStore, createPostgresStore } from "../src/store";
import { advanceTime, migratedDatabase, recordStatements, testPool, truncateAll } from "./support/databases";

const hasPostgres = await postgresAvailable();

describe.skipIf(!hasPostgres)("postgres store specifics", () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let store: WorkflowStore;
  const statements: string[] = [];

  beforeAll(async () => {
    database = await migratedDatabase();
    pool = testPool(database.url, 4);
    // Every statement the store sends passes through pool.query: count them to count round trips.
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

  async function claimOne(workflow = "wf") {
    const { workerId } = await store.registerWorker({ name: "w", workflow });
    const [run] = await store.claimRuns({ workerId, workflow, limit: 1, leaseMs: 30_000 });
    if (!run) throw new Error("nothing to claim");
    return { run, workerId };
  }

  it("claims, writes a step, heartbeats and completes in one round trip each", async () => {
    await store.createWorkflow({ name: "wf" });
    await store.enqueue({ workflow: "wf", input: {} });
    const { workerId } = await store.registerWorker({ name: "w", workflow: "wf" });

    statements.length = 0;
    const [run] = await store.claimRuns({ workerId, workflow: "wf", limit: 10, leaseMs: 30_000 });
    expect(statements).toHaveLength(1);
    if (!run) throw new Error("nothing claimed");

    for (const [stepId, output] of [["a", 1], ["a", 2]] as const) {
      statements.length = 0;
      await store.saveStep({ runId: run.runId, leaseToken: run.leaseToken, stepId, output });
      expect(statements).toHaveLength(1);
    }
    statements.length = 0;
    await expect(store.saveStep({ runId: run.runId, leaseToken: crypto.randomUUID(), stepId: "b", output: 1 })).rejects.toSatisfy(
      (error) => LeaseLostError.isInstance(error),
    );
    expect(statements).toHaveLength(1);

    statements.length = 0;
    await store.extendLeases({ workerId, leaseMs: 30_000, leases: [{ runId: run.runId, leaseToken: run.leaseToken }] });
    expect(statements).toHaveLength(1);

    statements.length = 0;
    await store.completeRun({ runId: run.runId, leaseToken: run.leaseToken, output: null });
    expect(statements).toHaveLength(1);
    // Its run-changed event goes out after the commit, in a statement of its own (outside the write): let it pass.
    await vi.waitFor(() => expect(statements.some((text) => text.includes("json_array_elements_text"))).toBe(true));

    statements.length = 0;
    await store.enqueue({ workflow: "wf", input: {} });
    expect(statements).toHaveLength(1);
  });

  it("keeps JSON exactly as written: key order, NUL escapes, null versus void", async () => {
    await store.createWorkflow({ name: "wf" });
    const input = { zebra: 1, apple: { y: [3, 2, 1], b: "\u0000" }, "": null };
    await store.enqueue({ workflow: "wf", input });
    const { run } = await claimOne();
    expect(JSON.stringify(run.input)).toBe(JSON.stringify(input));
    await store.saveStep({ runId: run.runId, leaseToken: run.leaseToken, stepId: "void", output: undefined });
    await store.saveStep({ runId: run.runId, leaseToken: run.leaseToken, stepId: "null", output: null });
    await store.completeRun({ runId: run.runId, leaseToken: run.leaseToken, output: undefined });
    const stored = await store.getRun({ runId: run.runId });
    expect(stored?.output).toBeUndefined();
    expect(stored?.steps.map((step) => [step.stepId, step.output])).toEqual([
      ["void", undefined],
      ["null", null],
    ]);
    expect(stored?.steps[0] && "output" in stored.steps[0] && stored.steps[0].output === undefined).toBe(true);
  });

  it("counts a reclaimed expired lease as a run failure and fences the old holder out", async () => {
    await store.createWorkflow({ name: "wf" });
    await store.enqueue({ workflow: "wf", input: 1 });
    const { run: first, workerId } = await claimOne();
    await advanceTime(pool, 31_000);
    const [second] = await store.claimRuns({ workerId, workflow: "wf", limit: 1, leaseMs: 30_000 });
    expect(second).toMatchObject({ runId: first.runId, attempt: 2, runFailures: 1 });
    if (!second) throw new Error("not reclaimed");

    const stale = { runId: first.runId, leaseToken: first.leaseToken };
    const lost = (error: unknown) => LeaseLostError.isInstance(error);
    await expect(store.saveStep({ ...stale, stepId: "s", output: 1 })).rejects.toSatisfy(lost);
    await expect(store.completeRun({ ...stale, output: 1 })).rejects.toSatisfy(lost);
    await expect(store.failRun({ ...stale, error: { name: "E", message: "m", attempt: 1 } })).rejects.toSatisfy(lost);
    await expect(store.releaseRun(stale)).rejects.toSatisfy(lost);
    await expect(store.acknowledgeCancel(stale)).rejects.toSatisfy(lost);
    // The two-statement pause (with waitEvent) rolls back as a whole when its fence fails.
    await expect(store.pauseRun({ ...stale, delayMs: 1_000, waitEvent: "approved" })).rejects.toSatisfy(lost);
    expect(await store.extendLeases({ workerId, leaseMs: 1_000, leases: [stale] })).toEqual({
      extended: [],
      cancelRequested: [],
    });
    const current = await store.getRun({ runId: first.runId });
    expect(current).toMatchObject({ status: "RUNNING", steps: [] });
  });

  it("creates one message per idempotency key under concurrent enqueues from separate connections", async () => {
    await store.createWorkflow({ name: "wf" });
    const others = Array.from({ length: 8 }, () => testPool(database.url, 1));
    try {
      const results = await Promise.all(
        others.map((other) =>
          createPostgresStore({ pool: other, logger: silentLogger }).enqueue({ workflow: "wf", input: 1, idempotencyKey: "once" }),
        ),
      );
      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(new Set(results.map((result) => result.message.id)).size).toBe(1);
    } finally {
      for (const other of others) await other.end();
    }
    const rows = await pool.query("select count(*)::int as n from pgqrs.messages");
    expect(rows.rows[0].n).toBe(1);
  });

  it("works without server-side prepared statements", async () => {
    const unprepared = createPostgresStore({ pool, logger: silentLogger, preparedStatements: false });
    await unprepared.createWorkflow({ name: "wf" });
    const { message } = await unprepared.enqueue({ workflow: "wf", input: [1] });
    const { workerId } = await unprepared.registerWorker({ name: "w", workflow: "wf" });
    const [run] = await unprepared.claimRuns({ workerId, workflow: "wf", limit: 1, leaseMs: 1_000 });
    expect(run?.runId).toBe(message.runId);
    if (!run) throw new Error("not claimed");
    // The transaction path (a pause waiting for an event already sent) works unprepared too.
    await unprepared.sendEvent({ runId: run.runId, name: "approved", payload: true });
    await unprepared.pauseRun({ runId: run.runId, leaseToken: run.leaseToken, delayMs: 60_000, waitEvent: "approved" });
    const [again] = await unprepared.claimRuns({ workerId, workflow: "wf", limit: 1, leaseMs: 1_000 });
    expect(again).toMatchObject({ runId: run.runId, resumedFromPause: true });
    await unprepared.close();
  });

  it("wraps a drizzle database over a pool", async () => {
    const fromDb = createPostgresStore({ db: drizzle({ client: pool }), logger: silentLogger });
    expect(fromDb.name).toBe("postgres");
    expect(fromDb.capabilities.notify).toBe(true);
    expect((await fromDb.createWorkflow({ name: "via_db" })).name).toBe("via_db");
    await fromDb.close();
    expect(await store.getWorkflow({ name: "via_db" })).not.toBeNull();
  });

  it("keeps working after the server terminates its pooled connections", async () => {
    // No error handler of the test's own: only the store's keeps the process alive when idle connections die.
    const own = new pg.Pool({ connectionString: database.url, max: 3 });
    const resilient = createPostgresStore({ pool: own, logger: silentLogger });
    try {
      await Promise.all([1, 2, 3].map(() => resilient.listWorkflows()));
      expect(own.idleCount).toBeGreaterThan(0);
      await pool.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and application_name <> 'pgqrs-listener' and backend_type = 'client backend' and pid in (select pid from pg_stat_activity where state = 'idle')",
      );
      // The pool drops each dead connection when its error arrives.
      await vi.waitFor(() => expect(own.idleCount).toBe(0), { timeout: 5_000, interval: 20 });
      await resilient.createWorkflow({ name: "after_terminate" });
      expect(await resilient.getWorkflow({ name: "after_terminate" })).not.toBeNull();
    } finally {
      await resilient.close();
      await own.end();
    }
  });

  it("keeps an error listener on a pool it ended, whose connections may still be closing", async () => {
    // pg's pool.end() resolves before the sockets close; a connection still closing can report an error (the
    // database dropped, the server stopping). With no listener left, the pool's 'error' would crash the process.
    const owned = new pg.Pool({ connectionString: database.url, max: 2 }); // no listener of its own
    const ownedStore = buildStore({ pool: owned }, { logger: silentLogger, owned: { close: () => owned.end() } });
    await Promise.all([ownedStore.listWorkflows(), ownedStore.listWorkflows()]);
    await ownedStore.close();
    expect(() => owned.emit("error", new Error("terminating connection due to administrator command"))).not.toThrow();

    // A pool the caller passed in stays theirs: the store takes its listener away again.
    const callers = testPool(database.url, 1);
    const before = callers.listenerCount("error");
    const borrowed = createPostgresStore({ pool: callers, logger: silentLogger });
    expect(callers.listenerCount("error")).toBe(before + 1);
    await borrowed.close();
    expect(callers.listenerCount("error")).toBe(before);
    await callers.end();
  });

  it("refuses an event whose name or payload is invalid, before writing anything", async () => {
    await store.createWorkflow({ name: "wf" });
    const { message } = await store.enqueue({ workflow: "wf", input: 1 });
    const runId = message.runId;
    await expect(store.sendEvent({ runId, name: "bad name!", payload: 1 })).rejects.toSatisfy((error) =>
      InvalidNameError.isInstance(error),
    );
    const notJson = await store
      .sendEvent({ runId, name: "approved", payload: { at: new Date() } as never })
      .then(() => undefined, (error: unknown) => error);
    expect(NotJsonError.isInstance(notJson)).toBe(true);
    expect((notJson as Error).message).toMatch(/event "approved" payload\.at: Date is not JSON/);
    const rows = await pool.query("select count(*)::int as n from pgqrs.events");
    expect(rows.rows[0].n).toBe(0);
  });

  it("skips a paused workflow's runs in the claim without reading them", async () => {
    await store.createWorkflow({ name: "wf" });
    for (let index = 0; index < 20; index++) await store.enqueue({ workflow: "wf", input: index });
    await store.pauseWorkflow("wf");
    // The claim statement itself, explained: the pause check is a one-time filter, and with the workflow paused
    // the scan of the claim index never runs. EXPLAIN ANALYZE executes it, so it runs in a rolled-back transaction.
    const values = { workflow: "wf", limit: 5, workerId: null, leaseMs: 1_000 };
    const client = await pool.connect();
    let plan: string;
    try {
      await client.query("begin");
      const explained = await client.query<{ "QUERY PLAN": string }>(
        `explain (analyze, costs off, timing off, summary off) ${claim.query.sql}`,
        fillPlaceholders(claim.query.params, values),
      );
      plan = explained.rows.map((row) => row["QUERY PLAN"]).join("\n");
    } finally {
      await client.query("rollback");
      client.release();
    }
    expect(plan).toMatch(/One-Time Filter: \(NOT \$\d+\)/);
    expect(plan).toMatch(/Index Scan using runs_claim_idx on runs \(never executed\)/);
    const { workerId } = await store.registerWorker({ name: "w", workflow: "wf" });
    expect(await store.claimRuns({ workerId, workflow: "wf", limit: 5, leaseMs: 1_000 })).toEqual([]);
  });

  it("treats ids that cannot exist as unknown rather than failing the statement", async () => {
    expect(await store.getRun({ runId: "not-a-number" })).toBeNull();
    expect(await store.getRun({ runId: "99999999999999999999" })).toBeNull();
    await expect(
      store.saveStep({ runId: "x", leaseToken: "y", stepId: "s", output: 1 }),
    ).rejects.toSatisfy((error) => LeaseLostError.isInstance(error));
    expect(await store.extendLeases({ workerId: "nope", leaseMs: 1, leases: [{ runId: "-1", leaseToken: "z" }] })).toEqual({
      extended: [],
      cancelRequested: [],
    });
    const lost = (error: unknown) => LeaseLostError.isInstance(error);
    await expect(store.acknowledgeCancel({ runId: "x", leaseToken: "y" })).rejects.toSatisfy(lost);
    await expect(store.pauseRun({ runId: "x", leaseToken: "y", waitEvent: "approved" })).rejects.toSatisfy(lost);
    const notFound = (error: unknown) => RunNotFoundError.isInstance(error);
    await expect(store.cancelRun({ runId: "not-a-number" })).rejects.toSatisfy(notFound);
    await expect(store.sendEvent({ runId: "99999999999999999999", name: "approved", payload: 1 })).rejects.toSatisfy(notFound);
    expect(await store.getEvent({ runId: "not-a-number", name: "approved" })).toBeNull();
  });
});
