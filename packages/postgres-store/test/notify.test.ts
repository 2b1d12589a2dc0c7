import { PGlite } from "@electric-sql/pglite";
import type { StoreEvent, WorkflowStore } from "@pgqrs/core/storage";
import { postgresAvailable } from "@pgqrs/vitest-config/postgres";
import type { TestDatabase } from "@pgqrs/vitest-config/postgres";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { connect } from "../src/connect";
import { silentLogger } from "../src/logger";
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
});
