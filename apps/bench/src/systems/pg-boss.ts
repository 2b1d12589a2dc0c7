import PgBoss from "pg-boss";
import { countOf } from "../db";
import { plainStep, reportFirstJob, runJob } from "./job";
import type { BenchSystem, JobKind, JobPayload, Producer, WorkerEvent, WorkerHandle, WorkerSpec } from "./types";

/**
 * Jobs per fetch. pg-boss 10's worker sleeps its polling interval (0.5 s at least) after every fetch, so with one
 * job per fetch a worker tops out at 2 jobs/s; each of its `concurrency` worker loops fetches this many at once
 * and runs them one after another (so at most `concurrency` handlers run at a time, as for the others).
 */
export const pgBossBatchSize = 100;
/** pg-boss's minimum polling interval. */
export const pgBossPollingSeconds = 0.5;

const kinds: readonly JobKind[] = ["noop1", "noop3", "steps100", "latency", "recovery"];
const bulkChunk = 5_000;

function boss(url: string, options: PgBoss.ConstructorOptions = {}): PgBoss {
  const instance = new PgBoss({ connectionString: url, supervise: false, schedule: false, migrate: false, ...options });
  instance.on("error", (error) => console.error(`pg-boss: ${error.message}`));
  return instance;
}

/** pg-boss 10 with a batch size and its minimum polling interval. A job has no steps: each kind is one no-op job. */
export const pgBossSystem: BenchSystem = {
  name: "pg-boss",
  hasSteps: false,

  async setup(url, settings) {
    const instance = boss(url, { migrate: true });
    await instance.start();
    for (const kind of kinds) {
      // The recovery queue's expiry plays the lease: an active job of a dead worker is retried once it expires.
      const expiry = kind === "recovery" ? { expireInSeconds: Math.ceil(settings.recoveryLeaseMs / 1000) } : {};
      await instance.createQueue(kind, { name: kind, ...expiry });
    }
    await instance.stop({ graceful: false, wait: true });
  },

  async producer(url): Promise<Producer> {
    const instance = boss(url);
    await instance.start();
    return {
      async enqueueMany(kind, payloads) {
        for (let done = 0; done < payloads.length; done += bulkChunk) {
          await instance.insert(payloads.slice(done, done + bulkChunk).map((data) => ({ name: kind, data })));
        }
      },
      async send(kind, payload) {
        await instance.send(kind, payload);
      },
      close: () => instance.stop({ graceful: false, wait: true }),
    };
  },

  remaining: (client, kind) => countOf(client, "select count(*) as n from pgboss.job where name = $1 and state < 'completed'", [kind]),

  inFlight: (client, kind) => countOf(client, "select count(*) as n from pgboss.job where name = $1 and state = 'active'", [kind]),

  async createWorker(spec: WorkerSpec, emit: (event: WorkerEvent) => void): Promise<WorkerHandle> {
    // Recovery needs the maintenance loop: it is what fails expired jobs back to `retry`.
    const supervised = spec.kind === "recovery" ? { supervise: true, maintenanceIntervalSeconds: 1 } : {};
    const instance = boss(spec.url, supervised);
    await instance.start();
    const first = reportFirstJob(emit);
    const holdMs = spec.holdMs ?? 0;
    const loops = Math.min(spec.concurrency, 10);
    return {
      async start() {
        for (let loop = 0; loop < loops; loop += 1) {
          await instance.work<JobPayload>(
            spec.kind,
            { batchSize: pgBossBatchSize, pollingIntervalSeconds: pgBossPollingSeconds },
            async (jobs) => {
              first();
              for (const job of jobs) await runJob({ kind: spec.kind, payload: job.data, step: plainStep, emit, holdMs });
            },
          );
        }
      },
      stop: () => instance.stop({ graceful: true, wait: true, timeout: 2_000 }),
    };
  },
};
