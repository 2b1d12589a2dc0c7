import { DBOS, DBOSClient } from "@dbos-inc/dbos-sdk";
import { countOf } from "../db";
import { reportFirstJob, runJob } from "./job";
import type { BenchSystem, JobKind, JobPayload, Producer, WorkerEvent, WorkerHandle, WorkerSpec } from "./types";

const applicationName = "pgqrs_bench";
const applicationVersion = "bench";
const kinds: readonly JobKind[] = ["noop1", "noop3", "steps100", "latency", "recovery"];

/**
 * The queues' base polling interval. DBOS dispatches a queue by polling it (default every 1000 ms, starting at
 * most `workerConcurrency` workflows per poll), which would cap a 10-slot worker at about 10 runs/s; the bench
 * lowers it so DBOS is measured at its best.
 */
export const dbosPollingIntervalMs = 10;

/** The callbacks of the worker of the current repetition (see `createWorker`). */
let current: { emit: (event: WorkerEvent) => void; first: () => void; holdMs: number } = {
  emit: () => undefined,
  first: () => undefined,
  holdMs: 0,
};
let registered = false;

/** Enqueues in flight at once when pre-enqueueing (DBOS has no bulk enqueue). */
const enqueueParallelism = 10;

/** Errors only, to stderr: DBOS logs migrations and queue registrations at info level. */
const quietLogger = {
  info: () => undefined,
  debug: () => undefined,
  warn: () => undefined,
  error: (error: unknown) => console.error("dbos:", error),
};

async function createClient(url: string): Promise<DBOSClient> {
  return DBOSClient.create({ systemDatabaseUrl: url, applicationName, logger: quietLogger });
}

/** Runs `task` with `console.log`/`console.warn` silenced: `DBOS.migrate` logs through a default logger. */
async function quietly<T>(task: () => Promise<T>): Promise<T> {
  const { log, warn } = console;
  console.log = () => undefined;
  console.warn = () => undefined;
  try {
    return await task();
  } finally {
    console.log = log;
    console.warn = warn;
  }
}

/**
 * DBOS Transact: one DBOS workflow per kind, each step a `DBOS.runStep`, triggered onto a database-backed queue
 * (one per kind) that the worker process dispatches from.
 */
export const dbosSystem: BenchSystem = {
  name: "dbos",
  hasSteps: true,

  async setup(url, settings) {
    await quietly(() => DBOS.migrate(url));
    const client = await createClient(url);
    try {
      for (const kind of kinds) {
        await client.registerQueue(kind, {
          applicationName,
          workerConcurrency: kind === "recovery" ? settings.recoveryConcurrency : settings.concurrency,
          minPollingIntervalMs: dbosPollingIntervalMs,
          onConflict: "always_update",
        });
      }
    } finally {
      await client.destroy();
    }
  },

  async producer(url): Promise<Producer> {
    const client = await createClient(url);
    const send = async (kind: JobKind, payload: JobPayload): Promise<void> => {
      await client.enqueue({ queueName: kind, workflowName: kind, appVersion: applicationVersion }, payload);
    };
    return {
      async enqueueMany(kind, payloads) {
        let next = 0;
        const lane = async (): Promise<void> => {
          while (next < payloads.length) {
            const payload = payloads[next];
            next += 1;
            if (payload) await send(kind, payload);
          }
        };
        await Promise.all(Array.from({ length: enqueueParallelism }, lane));
      },
      send,
      close: () => client.destroy(),
    };
  },

  remaining: (client, kind) =>
    countOf(client, "select count(*) as n from dbos.workflow_status where queue_name = $1 and status in ('ENQUEUED', 'PENDING')", [kind]),

  inFlight: (client, kind) =>
    countOf(
      client,
      `select count(*) as n from dbos.workflow_status w where w.queue_name = $1 and w.status = 'PENDING'
        and exists (select 1 from dbos.operation_outputs o where o.workflow_uuid = w.workflow_uuid)`,
      [kind],
    ),

  async createWorker(spec: WorkerSpec, emit: (event: WorkerEvent) => void): Promise<WorkerHandle> {
    // DBOS is a process-wide singleton: configure and register once, then launch / shut down per repetition,
    // with the current repetition's callbacks.
    current = { emit, first: reportFirstJob(emit), holdMs: spec.holdMs ?? 0 };
    if (!registered) {
      registered = true;
      DBOS.setConfig({
        name: applicationName,
        systemDatabaseUrl: spec.url,
        applicationVersion,
        logger: quietLogger,
        runMigrations: false,
        listenQueues: [spec.kind],
      });
      DBOS.registerWorkflow(
        async (payload: JobPayload) => {
          current.first();
          await runJob({
            kind: spec.kind,
            payload,
            step: async (id, fn) => DBOS.runStep(fn, { name: id }),
            emit: current.emit,
            holdMs: current.holdMs,
          });
        },
        { name: spec.kind },
      );
    }
    return {
      // Launching starts dispatch from the queue (and, after a crash, recovers this executor's pending workflows).
      start: () => DBOS.launch(),
      stop: () => DBOS.shutdown(),
    };
  },
};
