import { PGlite } from "@electric-sql/pglite";
import type { StoreEvent, WorkflowStore } from "@pgqrs/core/storage";
import { postgresAvailable } from "@pgqrs/vitest-config/postgres";
import type { TestDatabase } from "@pgqrs/vitest-config/postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { connect } from "../src/connect";
import { eventChannel, parseEvent } from "../src/events";
import { silentLogger } from "../src/logger";
import { createPostgresStore } from "../src/store";
import { migratedDatabase, testPool } from "./support/databases";

const hasPostgres = await postgresAvailable();

/** Collects a subscription's events; `next` resolves with the first (new) event matching, or fails after 10 s. */
function eventLog() {
  const events: StoreEvent[] = [];
  const waiters: { match: (event: StoreEvent) => boolean; resolve: (event: StoreEvent) => void }[] = [];
  return {
    onEvent(event: StoreEvent) {
      events.push(event);
      for (const waiter of [...waiters]) {
        if (waiter.match(event)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      }
    },
    next(match: (event: StoreEvent) => boolean): Promise<StoreEvent> {
      return new Promise<StoreEvent>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no matching store event within 10 s")), 10_000);
        waiters.push({
          match,
          resolve: (event) => {
            clearTimeout(timer);
            resolve(event);
          },
        });
      });
    },
    events,
  };
}

async function checkEventsOf(store: WorkflowStore, workflow: string): Promise<void> {
  const log = eventLog();
  if (!store.subscribe) throw new Error("store has no subscribe");
  const subscription = await store.subscribe({ onEvent: log.onEvent });
  try {
    await store.createWorkflow({ name: workflow });
    const enqueued = log.next((event) => event.type === "enqueued" && event.workflow === workflow);
    await store.enqueue({ workflow, input: { n: 1 } });
    expect(await enqueued).toEqual({ type: "enqueued", workflow });

    const { workerId } = await store.registerWorker({ name: "notify", workflow });
    const [run] = await store.claimRuns({ workerId, workflow, limit: 1, leaseMs: 30_000 });
    if (!run) throw new Error("nothing claimed");
    const changed = log.next((event) => event.type === "run-changed" && event.runId === run.runId);
    await store.completeRun({ runId: run.runId, leaseToken: run.leaseToken, output: "done" });
    expect(await changed).toEqual({ type: "run-changed", runId: run.runId, status: "SUCCESS" });
    // The event came after commit: a reader sees the change it announced.
    expect((await store.getRun({ runId: run.runId }))?.status).toBe("SUCCESS");
  } finally {
    await subscription.close();
  }
}

describe.skipIf(!hasPostgres)("NOTIFY on PostgreSQL", () => {
  let database: TestDatabase;
  let admin: pg.Pool;
  beforeAll(async () => {
    database = await migratedDatabase();
    admin = testPool(database.url, 2);
  });
  afterAll(async () => {
    await admin.end();
    await database.drop();
  });

  const listenerPids = async (): Promise<number[]> => {
    const rows = await admin.query<{ pid: number }>(
      "select pid from pg_stat_activity where datname = current_database() and application_name = 'pgqrs-listener' and query ilike 'listen%'",
    );
    return rows.rows.map((row) => row.pid);
  };

  it("delivers enqueued and run-changed events", async () => {
    const store = await connect(database.url, { logger: silentLogger });
    try {
      await checkEventsOf(store, "notify_pg");
    } finally {
      await store.close();
    }
  });

  it("keeps delivering after its connection is terminated, and releases it on close", async () => {
    const store = await connect(database.url, { logger: silentLogger });
    const log = eventLog();
    const subscription = await store.subscribe?.({ onEvent: log.onEvent });
    try {
      await store.createWorkflow({ name: "notify_reconnect" });
      const [first] = await listenerPids();
      expect(first).toBeTypeOf("number");
      await admin.query("select pg_terminate_backend($1)", [first]);
      // Wait for the listener to come back on a new backend, then prove it hears events again.
      await vi.waitFor(
        async () => {
          const pids = await listenerPids();
          expect(pids).toHaveLength(1);
          expect(pids[0]).not.toBe(first);
        },
        { timeout: 10_000, interval: 50 },
      );
      const enqueued = log.next((event) => event.type === "enqueued" && event.workflow === "notify_reconnect");
      await store.enqueue({ workflow: "notify_reconnect", input: null });
      expect(await enqueued).toEqual({ type: "enqueued", workflow: "notify_reconnect" });
    } finally {
      await subscription?.close();
      await store.close();
    }
    expect(await listenerPids()).toEqual([]);
  });

  it("publishes the events of fenced writes after their commit, never from inside a write transaction", async () => {
    // pg_notify, shadowed for the guarded pool's connections: it refuses to run in a transaction that holds an xid
    // (one that wrote), where it would hold the server-wide notify lock until that commit is flushed.
    await admin.query("create schema if not exists notify_guard");
    await admin.query(`create or replace function notify_guard.pg_notify(channel text, payload text) returns void
      language plpgsql as $$ begin
        if txid_current_if_assigned() is not null then raise exception 'pg_notify inside a write transaction'; end if;
        perform pg_catalog.pg_notify(channel, payload);
      end $$`);
    const guardedPool = new pg.Pool({ connectionString: database.url, max: 4, options: "-c search_path=notify_guard,pg_catalog,public" });
    guardedPool.on("error", () => undefined);
    const seeding = await connect(database.url, { logger: silentLogger });
    const store = createPostgresStore({ pool: guardedPool, logger: silentLogger });
    const log = eventLog();
    const subscription = await store.subscribe?.({ onEvent: log.onEvent });
    try {
      const probe = await guardedPool.connect();
      try {
        await probe.query("begin");
        await probe.query("select txid_current()");
        await expect(probe.query("select pg_notify('pgqrs_test', 'x')")).rejects.toThrow(/inside a write transaction/);
      } finally {
        await probe.query("rollback");
        probe.release();
      }

      const workflow = "notify_after_commit";
      await seeding.createWorkflow({ name: workflow });
      for (let index = 0; index < 5; index += 1) await seeding.enqueue({ workflow, input: index });
      const { workerId } = await store.registerWorker({ name: "guarded", workflow });
      const claimed = await store.claimRuns({ workerId, workflow, limit: 5, leaseMs: 30_000 });
      const [completed, failed, retried, paused, released] = claimed;
      if (!completed || !failed || !retried || !paused || !released) throw new Error("expected 5 claimed runs");
      const seen = (runId: string, status: string) =>
        log.next((event) => event.type === "run-changed" && event.runId === runId && event.status === status);
      const announced = () => log.next((event) => event.type === "enqueued" && event.workflow === workflow);

      let next = seen(completed.runId, "SUCCESS");
      await store.completeRun({ runId: completed.runId, leaseToken: completed.leaseToken, output: 1 });
      await next;
      next = seen(failed.runId, "ERROR");
      await store.failRun({ runId: failed.runId, leaseToken: failed.leaseToken, error: { name: "Error", message: "x", attempt: 1 } });
      await next;
      let enqueued = announced();
      next = seen(retried.runId, "QUEUED");
      await store.retryRun({ runId: retried.runId, leaseToken: retried.leaseToken, delayMs: 0, error: { name: "Error", message: "x", attempt: 1 } });
      await Promise.all([next, enqueued]);
      // The event was sent before the pause: the pause's transaction wakes the run, and announces it after commit.
      await seeding.sendEvent({ runId: paused.runId, name: "go", payload: null });
      enqueued = announced();
      next = seen(paused.runId, "PAUSED");
      await store.pauseRun({ runId: paused.runId, leaseToken: paused.leaseToken, delayMs: 60_000, waitEvent: "go" });
      await Promise.all([next, enqueued]);
      enqueued = announced();
      next = seen(released.runId, "QUEUED");
      await store.releaseRun({ runId: released.runId, leaseToken: released.leaseToken });
      await Promise.all([next, enqueued]);

      const [again] = await store.claimRuns({ workerId, workflow, limit: 1, leaseMs: 30_000 });
      if (!again) throw new Error("expected a claimable run");
      next = seen(again.runId, "CANCELLED");
      await store.acknowledgeCancel({ runId: again.runId, leaseToken: again.leaseToken });
      await next;
    } finally {
      await subscription?.close();
      await store.close();
      await seeding.close();
      await guardedPool.end();
    }
  });

  it("close() publishes the events of writes that committed before it", async () => {
    const witness = new pg.Client({ connectionString: database.url });
    await witness.connect();
    const heard: StoreEvent[] = [];
    witness.on("notification", (message) => {
      const event = message.channel === eventChannel ? parseEvent(message.payload) : null;
      if (event) heard.push(event);
    });
    await witness.query(`listen ${eventChannel}`);
    try {
      const store = await connect(database.url, { logger: silentLogger });
      await store.createWorkflow({ name: "notify_close" });
      await store.enqueue({ workflow: "notify_close", input: null });
      const { workerId } = await store.registerWorker({ name: "closing", workflow: "notify_close" });
      const [run] = await store.claimRuns({ workerId, workflow: "notify_close", limit: 1, leaseMs: 30_000 });
      if (!run) throw new Error("nothing claimed");
      await store.completeRun({ runId: run.runId, leaseToken: run.leaseToken, output: null });
      // At once: the event is still waiting for its batch, and close() ends the store's own pool.
      await store.close();
      await vi.waitFor(() => expect(heard).toContainEqual({ type: "run-changed", runId: run.runId, status: "SUCCESS" }), {
        timeout: 10_000,
        interval: 5,
      });
    } finally {
      await witness.end();
    }
  });
});

describe("NOTIFY on PGlite", () => {
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = new PGlite();
    await pglite.waitReady;
  });
  afterAll(async () => {
    await pglite.close();
  });

  it("delivers enqueued and run-changed events", async () => {
    const store = await connect({ pglite });
    try {
      await checkEventsOf(store, "notify_pglite");
    } finally {
      await store.close();
    }
  });

  it("close() publishes the events of writes that committed before it", async () => {
    const heard: StoreEvent[] = [];
    const unlisten = await pglite.listen(eventChannel, (payload) => {
      const event = parseEvent(payload);
      if (event) heard.push(event);
    });
    try {
      const store = await connect({ pglite });
      await store.createWorkflow({ name: "notify_close_pglite" });
      await store.enqueue({ workflow: "notify_close_pglite", input: null });
      const { workerId } = await store.registerWorker({ name: "closing", workflow: "notify_close_pglite" });
      const [run] = await store.claimRuns({ workerId, workflow: "notify_close_pglite", limit: 1, leaseMs: 30_000 });
      if (!run) throw new Error("nothing claimed");
      await store.completeRun({ runId: run.runId, leaseToken: run.leaseToken, output: null });
      expect(heard).not.toContainEqual({ type: "run-changed", runId: run.runId, status: "SUCCESS" });
      await store.close();
      await vi.waitFor(() => expect(heard).toContainEqual({ type: "run-changed", runId: run.runId, status: "SUCCESS" }), {
        timeout: 10_000,
        interval: 5,
      });
    } finally {
      await unlisten();
    }
  });
});
