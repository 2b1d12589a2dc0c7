/**
 * `pnpm --filter @pgqrs/bench exec tsx src/profile.ts [runs] [3] [--no-notify | --pglite]`: where a pgqrs drain
 * spends its round trips. Drains `runs` pre-enqueued runs (1 step, or 3 with `3`) with one in-process worker and
 * counts every statement sent (calls per run, rows per call, mean and total time) and the worker's CPU per run; on
 * PostgreSQL it then `EXPLAIN ANALYZE`s the claim statement it captured, on 20,000 queued runs, in a rolled-back
 * transaction.
 *
 * `--no-notify` is a what-if: it shadows `pg_notify` with a no-op for the profiled database only (a schema ahead of
 * `pg_catalog` in its `search_path`), to show what pgqrs's NOTIFYs cost: a NOTIFY inside a write transaction holds the
 * server-wide notify lock until that commit is flushed, so notifying commits run one at a time; the store's own
 * batches of post-commit events (`pgqrs_publish_events`) write nothing and hold it only briefly.
 * `PREFETCH=n` in the environment sets the worker's `.prefetch(n)` (default: the concurrency, as the worker's own).
 * `--pglite` profiles embedded PGlite instead (`worker.drain()`); the store's named statements go through PGlite's
 * `execProtocol`, timed there (time inside PGlite, without the wait for its lock; `parse …` is their one-time Parse).
 */
import { PGlite } from "@electric-sql/pglite";
import { defineWorkflow } from "@pgqrs/core";
import type { WorkflowStore } from "@pgqrs/core/storage";
import { connect } from "@pgqrs/postgres-store";
import { consumer } from "@pgqrs/worker";
import pg from "pg";
import { dropDatabase, freshDatabase } from "./db";
import { waitUntilDone } from "./drain-runner";
import { benchSettings } from "./settings";
import { nowMs } from "./stats";
import { runJob } from "./systems/job";
import { pgqrsSystem } from "./systems/pgqrs";
import { enqueueQueuedSql } from "./systems/pgqrs-seed";
import type { JobKind, JobPayload } from "./systems/types";

interface Stat {
  calls: number;
  totalMs: number;
  rows: number;
}

type Query = (...args: unknown[]) => unknown;
type Result = { rowCount?: number | null; rows?: unknown[] } | undefined;

const stats = new Map<string, Stat>();
let captured: { text: string; values: unknown[] } | undefined;

function record(key: string, started: number, rows: number): void {
  const stat = stats.get(key) ?? { calls: 0, totalMs: 0, rows: 0 };
  stat.calls += 1;
  stat.totalMs += nowMs() - started;
  stat.rows += rows;
  stats.set(key, stat);
}

/** Wraps a driver's `query` to time every statement by its prepared name or leading text. */
function instrumented(original: Query): Query {
  return function query(this: unknown, ...args: unknown[]) {
    const config = args[0] as { text?: string; name?: string; values?: unknown[] } | string;
    const text = typeof config === "string" ? config : (config.text ?? "");
    const named = typeof config === "string" ? undefined : config.name;
    const key = named ?? text.replace(/\s+/g, " ").slice(0, 48);
    if (named === "pgqrs_claim_runs" && captured === undefined && typeof config !== "string") {
      captured = { text, values: config.values ?? (Array.isArray(args[1]) ? (args[1] as unknown[]) : []) };
    }
    const started = nowMs();
    const done = (value: Result): void => record(key, started, value?.rowCount ?? value?.rows?.length ?? 0);
    const callback = args[args.length - 1];
    if (typeof callback === "function") {
      // pg.Pool#query passes a callback.
      args[args.length - 1] = (error: unknown, value: Result) => {
        done(value);
        (callback as (error: unknown, value: unknown) => void)(error, value);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    return result instanceof Promise ? result.then((value: Result) => (done(value), value)) : result;
  };
}

/** The statement a wire-protocol message binds (`B`) or parses (`P`), by name; PGlite's store runs its named ones so. */
function protocolKey(message: Uint8Array): string {
  const cstring = (from: number): [string, number] => {
    const end = message.indexOf(0, from);
    return [new TextDecoder().decode(message.subarray(from, end)), end + 1];
  };
  const kind = String.fromCharCode(message[0] ?? 0);
  if (kind === "B") {
    const [, next] = cstring(5); // the portal
    return cstring(next)[0];
  }
  if (kind === "P") return `parse ${cstring(5)[0]}`;
  return `protocol message ${kind}`;
}

/** Wraps PGlite's `execProtocol` (the store's named statements) like {@link instrumented}. */
function instrumentedProtocol(original: Query): Query {
  return function execProtocol(this: unknown, ...args: unknown[]) {
    const key = protocolKey(args[0] as Uint8Array);
    const started = nowMs();
    return (original.apply(this, args) as Promise<{ messages: { name: string }[] }>).then((value) => {
      record(key, started, value.messages.filter((message) => message.name === "dataRow").length);
      return value;
    });
  };
}

async function startWorker(store: WorkflowStore, kind: JobKind) {
  return consumer("bench-profile", 0, defineWorkflow({ name: kind }))
    .handler(async (ctx, params) => {
      await runJob({ kind, payload: params as JobPayload, step: (id, fn) => ctx.step(id, fn), emit: () => undefined, holdMs: 0 });
    })
    .concurrency(benchSettings(false).concurrency)
    .prefetch(Number(process.env.PREFETCH ?? benchSettings(false).concurrency))
    .handleSignals(false)
    .create(store);
}

function printStats(args: { runs: number; kind: JobKind; seconds: number; cpu: NodeJS.CpuUsage }): void {
  const { runs, seconds, cpu } = args;
  console.log(`${runs} ${args.kind} runs in ${seconds.toFixed(2)} s = ${(runs / seconds).toFixed(0)} runs/s`);
  console.log(`worker process CPU: ${((cpu.user + cpu.system) / runs).toFixed(0)} µs per run (user + system)\n`);
  console.log("| statement | calls | per run | rows/call | mean ms | total s |\n|---|--:|--:|--:|--:|--:|");
  for (const [key, stat] of [...stats.entries()].sort((a, b) => b[1].totalMs - a[1].totalMs)) {
    console.log(
      `| ${key} | ${stat.calls} | ${(stat.calls / runs).toFixed(2)} | ${(stat.rows / stat.calls).toFixed(1)} | ` +
        `${(stat.totalMs / stat.calls).toFixed(2)} | ${(stat.totalMs / 1000).toFixed(2)} |`,
    );
  }
}

async function profilePglite(runs: number, kind: JobKind): Promise<void> {
  const instance = new PGlite();
  const store = await connect({ pglite: instance });
  await store.createWorkflow({ name: kind });
  await instance.query(enqueueQueuedSql, [kind, runs]);
  const target = instance as unknown as { query: Query; execProtocol: Query };
  target.query = instrumented(target.query.bind(instance));
  target.execProtocol = instrumentedProtocol(target.execProtocol.bind(instance));
  const worker = await startWorker(store, kind);
  const started = nowMs();
  const cpu = process.cpuUsage();
  await worker.drain();
  printStats({ runs, kind, seconds: (nowMs() - started) / 1000, cpu: process.cpuUsage(cpu) });
  await worker.stop();
  await store.close();
  await instance.close();
}

async function shadowNotify(url: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("create schema bench_shim");
  await client.query("create function bench_shim.pg_notify(text, text) returns void language sql as 'select null::void'");
  await client.query(`alter database ${database} set search_path = bench_shim, pg_catalog, "$user", public`);
  await client.end();
}

async function explainClaim(admin: pg.Client, kind: JobKind): Promise<void> {
  if (!captured) return;
  await admin.query(enqueueQueuedSql, [kind, 20_000]);
  if (!process.argv.includes("--no-analyze")) await admin.query("vacuum analyze pgqrs.runs");
  await admin.query("begin");
  const plan = await admin.query({ text: `explain (analyze, buffers) ${captured.text}`, values: captured.values });
  await admin.query("rollback");
  console.log(`\nclaim on 20,000 queued runs (limit ${String(captured.values[1])}):\n`);
  for (const row of plan.rows as { "QUERY PLAN": string }[]) console.log(row["QUERY PLAN"]);
}

async function profilePostgres(runs: number, kind: JobKind): Promise<void> {
  const database = "bench_profile_pgqrs";
  const url = await freshDatabase(database);
  try {
    await pgqrsSystem.setup(url, benchSettings(false));
    if (process.argv.includes("--no-notify")) await shadowNotify(url, database);
    const admin = new pg.Client({ connectionString: url });
    admin.on("error", () => undefined);
    await admin.connect();
    await admin.query(enqueueQueuedSql, [kind, runs]);
    const prototype = pg.Client.prototype as unknown as { query: Query };
    prototype.query = instrumented(prototype.query);
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const store = await connect({ pool, migrate: false });
    const worker = await startWorker(store, kind);
    const started = nowMs();
    const cpu = process.cpuUsage();
    const polling = worker.pollForever();
    const finished = await waitUntilDone({ system: pgqrsSystem, url, kind, since: started });
    const used = process.cpuUsage(cpu);
    await worker.stop();
    await polling;
    printStats({ runs, kind, seconds: (finished - started) / 1000, cpu: used });
    await store.close();
    await pool.end();
    await explainClaim(admin, kind);
    await admin.end();
  } finally {
    await dropDatabase(database);
  }
}

const runs = Number(process.argv[2] ?? 2_000);
const kind: JobKind = process.argv.slice(3).includes("3") ? "noop3" : "noop1";
(process.argv.includes("--pglite") ? profilePglite(runs, kind) : profilePostgres(runs, kind)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
