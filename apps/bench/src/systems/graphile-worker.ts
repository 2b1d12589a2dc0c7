import { Logger, makeWorkerUtils, run, runMigrations } from "graphile-worker";
import type { Runner, Task } from "graphile-worker";
import { countOf } from "../db";
import { plainStep, reportFirstJob, runJob } from "./job";
import type { BenchSystem, JobPayload, Producer, WorkerEvent, WorkerHandle, WorkerSpec } from "./types";

/** Rows per `addJobs` call when pre-enqueueing. */
const bulkChunk = 5_000;

/** Errors only: graphile-worker logs every job at info level by default. */
const quietLogger = new Logger(() => (level, message) => {
  if (level === "error") console.error(`graphile-worker: ${message}`);
});

const jobsOfTask = `from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
  where t.identifier = $1`;

/**
 * graphile-worker with its defaults (LISTEN/NOTIFY wake-ups, one job per fetch, no local queue or batched
 * completion), `concurrency` jobs at once. A job has no steps: each kind runs as one no-op task.
 */
export const graphileWorkerSystem: BenchSystem = {
  name: "graphile-worker",
  hasSteps: false,

  async setup(url) {
    await runMigrations({ connectionString: url, logger: quietLogger });
  },

  async producer(url): Promise<Producer> {
    const utils = await makeWorkerUtils({ connectionString: url, logger: quietLogger });
    return {
      async enqueueMany(kind, payloads) {
        for (let done = 0; done < payloads.length; done += bulkChunk) {
          const specs = payloads.slice(done, done + bulkChunk).map((payload) => ({ identifier: kind, payload }));
          await utils.addJobs(specs);
        }
      },
      async send(kind, payload) {
        await utils.addJob(kind, payload);
      },
      async close() {
        await utils.release();
      },
    };
  },

  remaining: (client, kind) => countOf(client, `select count(*) as n ${jobsOfTask}`, [kind]),

  inFlight: (client, kind) => countOf(client, `select count(*) as n ${jobsOfTask} and j.locked_at is not null`, [kind]),

  async createWorker(spec: WorkerSpec, emit: (event: WorkerEvent) => void): Promise<WorkerHandle> {
    const first = reportFirstJob(emit);
    const holdMs = spec.holdMs ?? 0;
    const task: Task = async (payload) => {
      first();
      await runJob({ kind: spec.kind, payload: payload as JobPayload, step: plainStep, emit, holdMs });
    };
    let runner: Runner | undefined;
    return {
      async start() {
        runner = await run({
          connectionString: spec.url,
          concurrency: spec.concurrency,
          noHandleSignals: true,
          logger: quietLogger,
          taskList: { [spec.kind]: task },
        });
      },
      async stop() {
        await runner?.stop();
      },
    };
  },
};
