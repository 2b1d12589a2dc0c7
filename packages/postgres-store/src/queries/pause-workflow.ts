import { UnknownWorkflowError } from "@pgqrs/core";
import type { WorkflowRecord } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import { notifyEnqueued } from "../events";
import { toWorkflowRecord, workflowColumns } from "../rows";
import { workflows } from "../schema";
import { defineStatement, execute } from "../statement";
import type { Executor } from "../statement";

const p = sql.placeholder;

/*
 * Locking: one UPDATE of the workflow row by primary key. The mark is all there is to an operator pause: the claim
 * statement reads it once per claim (see claim-runs) and returns nothing while it is set; no run row is touched, so
 * pausing a workflow with a million queued runs writes one row. A claim that started before this commits may still
 * hand out runs; runs already RUNNING go on. `coalesce` keeps the first pause time.
 */
const pause = defineStatement(
  "pause_workflow",
  sql`update ${workflows} w set paused_at = coalesce(w.paused_at, now()) where w.name = ${p("name")}::text
  returning ${workflowColumns("w")}`,
);

/*
 * Locking: as pause — one UPDATE of the workflow row. The `enqueued` NOTIFY commits with it, so idle workers of the
 * workflow claim its waiting runs at once instead of at their next poll.
 */
const resume = defineStatement(
  "resume_workflow",
  sql`with resumed as (
    update ${workflows} w set paused_at = null where w.name = ${p("name")}::text returning w.name, w.created_at, w.paused_at
  ), notified as (
    select ${notifyEnqueued("resumed.name")} from resumed
  )
  select ${workflowColumns("resumed")}, (select count(*) from notified)::int as notified from resumed`,
);

function nameOf(args: { name: string } | string): string {
  return typeof args === "object" && args !== null ? args.name : args;
}

/**
 * Marks the workflow paused: claims return none of its runs until {@link resumeWorkflow}. Idempotent.
 * @throws UnknownWorkflowError for a workflow that does not exist.
 */
export async function pauseWorkflow(executor: Executor, args: { name: string } | string): Promise<WorkflowRecord> {
  const name = nameOf(args);
  const row = typeof name === "string" ? (await execute(executor, pause, { name }))[0] : undefined;
  if (!row) throw new UnknownWorkflowError(String(name));
  return toWorkflowRecord(row);
}

/**
 * Clears the pause mark and announces the workflow's queue. Idempotent.
 * @throws UnknownWorkflowError for a workflow that does not exist.
 */
export async function resumeWorkflow(executor: Executor, args: { name: string } | string): Promise<WorkflowRecord> {
  const name = nameOf(args);
  const row = typeof name === "string" ? (await execute(executor, resume, { name }))[0] : undefined;
  if (!row) throw new UnknownWorkflowError(String(name));
  return toWorkflowRecord(row);
}
