import type { PGlite } from "@electric-sql/pglite";
import { ConnectionError, workflowNameFrom } from "@pgqrs/core";
import type { StoreEvent, WorkflowStore } from "@pgqrs/core/storage";
import { drizzle } from "drizzle-orm/node-postgres";
import type pg from "pg";
import { publishEvents } from "./events";
import { createPgListener, createPgliteListener } from "./listener";
import type { Listener } from "./listener";
import { consoleLogger } from "./logger";
import type { StoreLogger } from "./logger";
import { createBatcher } from "./batcher";
import { isConnectionFailure } from "./connection-errors";
import { createNotifier } from "./notifier";
import { createPgliteDirect } from "./pglite-statement";
import { acknowledgeCancel } from "./queries/acknowledge-cancel";
import { cancelRun } from "./queries/cancel-run";
import { claimRuns } from "./queries/claim-runs";
import { countRuns } from "./queries/count-runs";
import { enqueue } from "./queries/enqueue";
import { extendLeases } from "./queries/extend-leases";
import { failRun } from "./queries/fail-run";
import { getEvent } from "./queries/get-event";
import { getRun } from "./queries/get-run";
import { listRuns } from "./queries/list-runs";
import { pauseRun } from "./queries/pause-run";
import { pauseWorkflow, resumeWorkflow } from "./queries/pause-workflow";
import { releaseRun } from "./queries/release-run";
import { resumeRun } from "./queries/resume-run";
import { retryFailedRun } from "./queries/retry-failed-run";
import { retryRun } from "./queries/retry-run";
import type { SavedStep } from "./queries/save-step";
import { sendEvent } from "./queries/send-event";
import { deregisterWorker, listWorkers, registerWorker } from "./queries/workers";
import { writeRuns } from "./queries/write-runs";
import type { RunWrite } from "./queries/write-runs";
import { createWorkflow, getWorkflow, listWorkflows } from "./queries/workflows";
import { execute } from "./statement";
import type { Database, Executor } from "./statement";

/**
 * How long a completion's `run-changed` waits for others to share its NOTIFY statement when none is in flight: a
 * waiting `result()` hears of a finished run this much later, in exchange for far fewer statements under load.
 */
const publishDelayMs = 2;

/**
 * Batched writes (step outputs and completions, in one statement): at most this many statements in flight, each
 * carrying at most `maxBatch` writes. Two keep a second commit going while the first waits for its WAL flush.
 */
const writeBatches = { maxInFlight: 2, maxBatch: 100 };

/** Options every form of {@link createPostgresStore} takes. */
export interface StoreOptions {
  /** Where the store reports connection trouble it recovers from. @default warnings on the console */
  logger?: StoreLogger;
  /**
   * Use named server-side prepared statements for the hot queries (parsed and planned once per connection; on
   * PGlite, once per instance, sent on its wire protocol outside transactions). Turn off behind a pooler that cannot
   * keep them, such as PgBouncer in transaction mode before 1.21.
   * @default true
   */
  preparedStatements?: boolean;
}

/** The database of {@link createPostgresStore}: a `pg` pool, a PGlite instance, or a drizzle database over either. */
export type PostgresStoreTarget = { pool: pg.Pool } | { pglite: PGlite } | { db: Database };

/** Internal: what the store owns and must close. */
export interface Ownership {
  close(): Promise<void>;
}

function isPglite(client: unknown): client is PGlite {
  return typeof client === "object" && client !== null && "listen" in client && "waitReady" in client;
}

function isPool(client: unknown): client is pg.Pool {
  return typeof client === "object" && client !== null && "totalCount" in client && "options" in client;
}

/** LISTEN for a pool (on a dedicated connection of its own) or a PGlite instance; `null` for anything else. */
function listenerFor(client: unknown, logger: StoreLogger): Listener | null {
  if (isPglite(client)) return createPgliteListener(client, logger);
  if (isPool(client)) return createPgListener(client.options, logger);
  return null;
}

async function pgliteExecutor(pglite: PGlite, preparedStatements: boolean): Promise<Executor> {
  const [{ drizzle: drizzlePglite }, module] = await Promise.all([import("drizzle-orm/pglite"), import("@electric-sql/pglite")]);
  const db = drizzlePglite({ client: pglite }) as unknown as Database;
  return { db, preparedStatements, direct: createPgliteDirect(pglite, module) };
}

/**
 * Builds the store object. `owned` is what `close()` releases besides the store's own LISTEN connection; a pool or
 * PGlite instance the caller passed in is never in it.
 */
export function buildStore(target: PostgresStoreTarget, options: StoreOptions & { owned?: Ownership } = {}): WorkflowStore {
  const logger = options.logger ?? consoleLogger;
  const preparedStatements = options.preparedStatements ?? true;
  let executor: Executor | Promise<Executor>;
  let client: unknown;
  if ("db" in target) {
    executor = { db: target.db, preparedStatements };
    client = (target.db as unknown as { $client?: unknown }).$client;
  } else if ("pool" in target) {
    executor = { db: drizzle({ client: target.pool }) as unknown as Database, preparedStatements };
    client = target.pool;
  } else {
    const loading = pgliteExecutor(target.pglite, preparedStatements);
    // The first query reports a failed load; until then, keep it from surfacing as an unhandled rejection.
    loading.catch(() => undefined);
    executor = loading;
    client = target.pglite;
  }
  const name = isPglite(client) ? "pglite" : "postgres";
  // An idle pooled connection that dies (server restart, pg_terminate_backend) emits 'error' on the pool; with no
  // listener that would be an uncaught exception. The pool replaces the connection on its next checkout.
  const onPoolError = (error: Error) => logger.warn({ err: error }, "pgqrs: an idle database connection failed");
  if (isPool(client)) client.on("error", onPoolError);
  const listener = listenerFor(client, logger);

  let resolved: Executor | null = null;
  // PGlite's drizzle adapter loads on first use (the peer dependency stays optional); pg resolves at once.
  const run = <T>(query: (executor: Executor) => Promise<T>): Promise<T> =>
    resolved ? query(resolved) : Promise.resolve(executor).then((loaded) => query((resolved ??= loaded)));
  let closing: Promise<void> | null = null;
  // The fenced writes' events, published once they have committed. Always on, listener or not: other processes
  // (a client waiting for a result) listen on the same database.
  const notifier = createNotifier({
    send: async (payloads) => {
      await run((executor) => execute(executor, publishEvents, { payloads: JSON.stringify(payloads) }));
    },
    logger,
    delayMs: publishDelayMs,
    maxBatch: 100,
  });
  // Step writes and completions that arrive together (several handlers finishing at once) share a statement: fewer
  // round trips, commits and WAL flushes per run under load, each its single-row statement when idle. See batcher.
  const retryAlone = (error: unknown) => !ConnectionError.isInstance(error) && !isConnectionFailure(error);
  const writes = createBatcher<RunWrite, SavedStep | StoreEvent[]>({
    ...writeBatches,
    run: (items) => run((executor) => writeRuns(executor, items)),
    keyOf: (item) => ("step" in item ? `${item.step.runId}/${item.step.stepId}` : item.complete.runId),
    retryAlone,
  });
  const publishing = <TArgs>(write: (executor: Executor, args: TArgs) => Promise<StoreEvent[]>) => (args: TArgs) =>
    run(async (executor) => notifier.publish(await write(executor, args)));

  return {
    specVersion: "v1",
    name,
    capabilities: { notify: listener !== null },
    // The one method users call with a bare name too; core's rule decides what a valid name is.
    createWorkflow: (args) => run(async (executor) => createWorkflow(executor, { name: workflowNameFrom(args) })),
    getWorkflow: (args) => run((executor) => getWorkflow(executor, args)),
    listWorkflows: () => run((executor) => listWorkflows(executor)),
    pauseWorkflow: (args) => run((executor) => pauseWorkflow(executor, args)),
    resumeWorkflow: (args) => run((executor) => resumeWorkflow(executor, args)),
    enqueue: (args) => run((executor) => enqueue(executor, args)),
    registerWorker: (args) => run((executor) => registerWorker(executor, args)),
    deregisterWorker: (args) => run((executor) => deregisterWorker(executor, args)),
    claimRuns: (args) => run((executor) => claimRuns(executor, args)),
    extendLeases: (args) => run((executor) => extendLeases(executor, args)),
    saveStep: (args) => writes.submit({ step: args }) as Promise<SavedStep>,
    completeRun: async (args) => notifier.publish((await writes.submit({ complete: args })) as StoreEvent[]),
    failRun: publishing(failRun),
    retryRun: publishing(retryRun),
    pauseRun: publishing(pauseRun),
    releaseRun: publishing(releaseRun),
    acknowledgeCancel: publishing(acknowledgeCancel),
    cancelRun: (args) => run((executor) => cancelRun(executor, args)),
    sendEvent: (args) => run((executor) => sendEvent(executor, args)),
    getEvent: (args) => run((executor) => getEvent(executor, args)),
    getRun: (args) => run((executor) => getRun(executor, args)),
    listRuns: (args) => run((executor) => listRuns(executor, args)),
    resumeRun: (args) => run((executor) => resumeRun(executor, args)),
    retryFailedRun: (args) => run((executor) => retryFailedRun(executor, args)),
    countRuns: (args) => run((executor) => countRuns(executor, args)),
    listWorkers: (args) => run((executor) => listWorkers(executor, args ?? {})),
    ...(listener ? { subscribe: (args: { onEvent: (event: StoreEvent) => void }) => listener.subscribe(args.onEvent) } : {}),
    close() {
      closing ??= (async () => {
        // Before the pool ends: writes in flight finish, and what committed is announced.
        await writes.drain();
        await notifier.close();
        await listener?.close();
        await options.owned?.close();
        // A pool we ended keeps its listener: pg's pool.end() resolves before the sockets close, and a connection
        // still closing can report an error (the database dropped, the server going down). A caller's pool is theirs.
        if (isPool(client) && options.owned === undefined) client.off("error", onPoolError);
      })();
      return closing;
    },
  };
}

/**
 * A store over an already-migrated database (run `migrate()` first, or use `connect()`, which does both).
 * `close()` publishes the events of writes that already committed, stops the store's LISTEN connection, and never
 * ends the pool or PGlite instance passed in.
 *
 * @example
 * const store = createPostgresStore({ pool });
 */
export function createPostgresStore(target: PostgresStoreTarget & StoreOptions): WorkflowStore {
  return buildStore(target, target);
}
