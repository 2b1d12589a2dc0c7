import { workflow } from "@pgqrs/client";
import { defineWorkflow } from "@pgqrs/core";
import type { WorkflowStore } from "@pgqrs/core/storage";
import { connect, migrate } from "@pgqrs/postgres-store";
import { consumer } from "@pgqrs/worker";
import type pg from "pg";
import { connectClient, countOf, createPool } from "../db";
import { nowMs } from "../stats";
import { reportFirstJob, runJob } from "./job";
import { createWorkflowsSql, enqueueQueuedSql } from "./pgqrs-seed";
import type { BenchSystem, JobKind, JobPayload, Producer, WorkerEvent, WorkerHandle, WorkerSpec } from "./types";

/** Every kind is a workflow of its own name. */
export const pgqrsKinds: readonly JobKind[] = ["noop1", "noop3", "steps100", "latency", "recovery"];

/**
 * A what-if, off by default (`--what-if-no-completion-notify` sets it for the bench and its worker processes): a
 * `pg_notify` shadow that drops `run-changed` events. Enqueue wake-ups still go out. It was written to show what
 * moving that NOTIFY out of the completion transaction would gain; now that the store publishes `run-changed` after
 * the commit, in batches of its own, it shows what that publication still costs.
 */
export const whatIfEnv = "BENCH_WHAT_IF_NO_COMPLETION_NOTIFY";
const whatIf = (): boolean => process.env[whatIfEnv] === "1";

const shimSql = [
  "create schema if not exists bench_shim",
  `create or replace function bench_shim.pg_notify(channel text, payload text) returns void language plpgsql as $$
  begin
    if payload::json ->> 'type' is distinct from 'run-changed' then perform pg_catalog.pg_notify(channel, payload); end if;
  end $$`,
];

function makePool(url: string): pg.Pool {
  return createPool(url, 10, whatIf() ? "-c search_path=bench_shim,pg_catalog,public" : undefined);
}

/** Rows per bulk statement when pre-enqueueing. */
const bulkChunk = 50_000;

/** The floor of `step-overhead`: a single-row INSERT transaction on the store's own pool, timed `count` times. */
async function insertFloorMs(pool: pg.Pool, count: number): Promise<number> {
  const started = nowMs();
  for (let index = 0; index < count; index += 1) {
    await pool.query("insert into bench_floor (run_id, step_id, output) values ($1, $2, $3)", [1, `s${index}`, null]);
  }
  return (nowMs() - started) / count;
}

async function enqueueBulk(pool: pg.Pool, kind: JobKind, count: number): Promise<void> {
  for (let done = 0; done < count; done += bulkChunk) {
    await pool.query(enqueueQueuedSql, [kind, Math.min(bulkChunk, count - done)]);
  }
}

/** pgqrs through its public packages: `connect({ pool })`, the client's `trigger`, the worker's `consumer`. */
export const pgqrsSystem: BenchSystem = {
  name: "pgqrs",
  hasSteps: true,

  async setup(url) {
    await migrate(url);
    const client = await connectClient(url);
    try {
      await client.query(createWorkflowsSql(pgqrsKinds));
      for (const statement of shimSql) await client.query(statement);
      // The step-overhead floor writes the same shape of row as a step (bigint, text, json), without the lease check.
      await client.query("create table bench_floor (id bigint generated always as identity primary key, run_id bigint, step_id text, output json)");
    } finally {
      await client.end();
    }
  },

  async producer(url): Promise<Producer> {
    const pool = makePool(url);
    const store = await connect({ pool, migrate: false });
    return {
      enqueueMany: (kind, payloads) => enqueueBulk(pool, kind, payloads.length),
      async send(kind, payload) {
        await workflow(kind).trigger(payload).execute(store);
      },
      async close() {
        await store.close();
        await pool.end();
      },
    };
  },

  // Runs due within a day: the growth scenario's delayed runs (due in 30 days) are not waited for.
  remaining: (client, kind) =>
    countOf(
      client,
      `select count(*) as n from pgqrs.runs where workflow = $1 and status in ('QUEUED', 'RUNNING', 'PAUSED')
        and visible_at < now() + interval '1 day'`,
      [kind],
    ),

  inFlight: (client, kind) =>
    countOf(
      client,
      `select count(*) as n from pgqrs.runs r where r.workflow = $1 and r.status = 'RUNNING'
        and exists (select 1 from pgqrs.steps s where s.run_id = r.id and s.step_id = 'a')`,
      [kind],
    ),

  async createWorker(spec: WorkerSpec, emit: (event: WorkerEvent) => void): Promise<WorkerHandle> {
    const pool = makePool(spec.url);
    const store: WorkflowStore = await connect({ pool, migrate: false });
    const first = reportFirstJob(emit);
    const report = (event: WorkerEvent): void => {
      if (event.type !== "step-overhead") return emit(event);
      // The floor is measured right after the run, on the same pool.
      void insertFloorMs(pool, 100).then((floorMs) => emit({ ...event, floorMs }));
    };
    const holdMs = spec.holdMs ?? 0;
    const worker = await consumer(`bench-${spec.kind}`, 0, defineWorkflow({ name: spec.kind }))
      .handler(async (ctx, params) => {
        first();
        await runJob({ kind: spec.kind, payload: params as JobPayload, step: (id, fn) => ctx.step(id, fn), emit: report, holdMs });
      })
      .concurrency(spec.concurrency)
      .leaseMs(spec.leaseMs ?? 30_000)
      .handleSignals(false)
      .create(store);
    let polling: Promise<void> | undefined;
    return {
      async start() {
        polling = worker.pollForever();
      },
      async stop() {
        await worker.stop({ timeoutMs: 1_000 });
        await polling;
        await store.close();
        await pool.end();
      },
    };
  },
};
