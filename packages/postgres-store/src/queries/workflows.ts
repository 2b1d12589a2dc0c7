import type { WorkflowRecord } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import { toWorkflowRecord, workflowColumns } from "../rows";
import { workflows } from "../schema";
import { defineStatement, execute } from "../statement";
import type { Executor } from "../statement";

const p = sql.placeholder;

/*
 * Locking: INSERT … ON CONFLICT DO NOTHING on the primary key makes concurrent creations of one name agree: one
 * inserts, the others wait for it and change nothing. The union reads the existing row when this call did not insert.
 */
const create = defineStatement(
  "create_workflow",
  sql`with inserted as (
    insert into ${workflows} (name) values (${p("name")}::text) on conflict (name) do nothing
    returning name, created_at, paused_at
  )
  select ${workflowColumns("inserted")} from inserted
  union all
  select ${workflowColumns("w")} from ${workflows} w
  where w.name = ${p("name")}::text and not exists (select 1 from inserted)`,
);

const get = defineStatement(
  "get_workflow",
  sql`select ${workflowColumns("w")} from ${workflows} w where w.name = ${p("name")}::text`,
);

const list = defineStatement(
  "list_workflows",
  sql`select ${workflowColumns("w")} from ${workflows} w order by w.name collate "C"`,
);

/** Returns the workflow, or `null` when it was never created. */
export async function getWorkflow(executor: Executor, args: { name: string }): Promise<WorkflowRecord | null> {
  const row = (await execute(executor, get, { name: args.name }))[0];
  return row ? toWorkflowRecord(row) : null;
}

/** Registers a workflow; idempotent. */
export async function createWorkflow(executor: Executor, args: { name: string }): Promise<WorkflowRecord> {
  const row = (await execute(executor, create, { name: args.name }))[0];
  if (row) return toWorkflowRecord(row);
  // A concurrent creator committed after this statement's snapshot: read it in a new one.
  const existing = await getWorkflow(executor, args);
  if (!existing) throw new Error(`pgqrs: workflow "${args.name}" was neither created nor found`);
  return existing;
}

/** Lists every workflow by name. */
export async function listWorkflows(executor: Executor): Promise<WorkflowRecord[]> {
  return (await execute(executor, list, {})).map(toWorkflowRecord);
}
