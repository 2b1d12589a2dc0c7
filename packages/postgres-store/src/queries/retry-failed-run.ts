import type { RunRecord } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import { notifyEnqueued, notifyRunChanged } from "../events";
import { parseId, runColumns, toRunRecord } from "../rows";
import { messages, runs } from "../schema";
import { defineStatement, execute } from "../statement";
import type { Executor } from "../statement";
import { refuseRunState } from "./resume-run";

/*
 * Locking: one statement updates the run row, only while it is ERROR, and un-archives its message (the same message
 * carries the run again, so a run keeps exactly one message). ERROR is final for workers, so no claim or fenced write
 * competes for the row. Completed steps stay; failure counts restart; the last error is kept.
 */
const retryFailed = defineStatement(
  "retry_failed_run",
  sql`with target as (
    update ${runs} r set status = 'QUEUED', visible_at = now(), finished_at = null, run_failures = 0,
      step_failures = '{}'::jsonb, pause_reason = null
    where r.id = ${sql.placeholder("runId")}::bigint and r.status = 'ERROR'
    returning r.*
  ), unarchived as (
    update ${messages} m set archived_at = null from target where m.id = target.message_id returning 1
  ), notified as (
    select ${notifyEnqueued("target.workflow")} from target
    union all select ${notifyRunChanged("target.id", "target.status")} from target
  )
  select ${runColumns("target")}, (select count(*) from unarchived)::int as unarchived,
    (select count(*) from notified)::int as notified
  from target`,
);

/**
 * Queues an ERROR run again on the same run id, keeping its steps.
 * @throws RunNotFoundError for an unknown run; InvalidRunStateError for a run that is not ERROR.
 */
export async function retryFailedRun(executor: Executor, args: { runId: string }): Promise<RunRecord> {
  const runId = parseId(args.runId);
  const row = runId === null ? undefined : (await execute(executor, retryFailed, { runId }))[0];
  if (row) return toRunRecord(row);
  return refuseRunState(executor, { runId: args.runId, expected: "ERROR", action: "retried" });
}
