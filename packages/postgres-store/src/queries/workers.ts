import type { WorkerRecord } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import { epochMs, isUuid, textOf, toWorkerRecord } from "../rows";
import { workers } from "../schema";
import { defineStatement, execute } from "../statement";
import type { Executor } from "../statement";

const p = sql.placeholder;

// Locking: single-row inserts and updates by primary key; each worker incarnation owns its row.
const register = defineStatement(
  "register_worker",
  sql`insert into ${workers} (name, workflow) values (${p("name")}::text, ${p("workflow")}::text) returning id::text as id`,
);

const deregister = defineStatement(
  "deregister_worker",
  sql`update ${workers} set stopped_at = coalesce(stopped_at, now()) where id = ${p("workerId")}::uuid`,
);

const list = defineStatement(
  "list_workers",
  sql`select id::text as id, name, workflow, ${epochMs("started_at")} as started_at,
    ${epochMs("last_seen_at")} as last_seen_at, ${epochMs("stopped_at")} as stopped_at
  from ${workers} order by last_seen_at desc, started_at desc limit ${p("limit")}::int`,
);

/** Registers a worker incarnation; every call returns a new id. */
export async function registerWorker(executor: Executor, args: { name: string; workflow: string }): Promise<{ workerId: string }> {
  const row = (await execute(executor, register, args))[0];
  if (!row) throw new Error("pgqrs: registering the worker returned no id");
  return { workerId: textOf(row, "id") };
}

/** Marks the worker stopped (its leases are untouched). */
export async function deregisterWorker(executor: Executor, args: { workerId: string }): Promise<void> {
  if (!isUuid(args.workerId)) return;
  await execute(executor, deregister, { workerId: args.workerId });
}

/** Lists workers, most recently seen first. */
export async function listWorkers(executor: Executor, args: { limit?: number }): Promise<WorkerRecord[]> {
  const limit = Math.max(Math.floor(args.limit ?? 100), 0);
  return (await execute(executor, list, { limit })).map(toWorkerRecord);
}
