import { InvalidRunStateError, RunNotFoundError } from "@pgqrs/core";
import type { RunRecord } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import { notifyRunChanged } from "../events";
import { parseId, runColumns, textOf, toRunRecord } from "../rows";
import { messages, runs } from "../schema";
import { defineStatement, execute } from "../statement";
import type { Executor } from "../statement";

const p = sql.placeholder;

/*
 * Locking: one UPDATE of the run row by primary key, only while it is not final. Under READ COMMITTED an UPDATE that
 * waited for a concurrent writer re-evaluates its WHERE and SET on the newest committed version, so the CASEs decide
 * on the run as it is when the lock is taken: a QUEUED run a claim just took (the claim held the row; this waited)
 * is RUNNING by then and only gets the request recorded, never a CANCELLED status under a live lease. A QUEUED or
 * PAUSED run ends CANCELLED here with its message archived and `run-changed` published, in the same statement. On a
 * RUNNING run the request is recorded (the first request and its reason are kept); its worker learns of it from its
 * next step write or heartbeat, whose row locks see this commit.
 */
const cancel = defineStatement(
  "cancel_run",
  sql`with target as (
    update ${runs} r set
      status = case when r.status = 'RUNNING' then r.status else 'CANCELLED' end,
      finished_at = case when r.status = 'RUNNING' then r.finished_at else now() end,
      visible_at = case when r.status = 'RUNNING' then r.visible_at end,
      pause_reason = case when r.status = 'RUNNING' then r.pause_reason end,
      wait_event = null,
      cancel_reason = case when r.cancel_requested_at is null then ${p("reason")}::text else r.cancel_reason end,
      cancel_requested_at = coalesce(r.cancel_requested_at, now())
    where r.id = ${p("runId")}::bigint and r.status in ('QUEUED', 'RUNNING', 'PAUSED')
    returning r.*
  ), archived as (
    update ${messages} m set archived_at = now() from target
    where m.id = target.message_id and target.status = 'CANCELLED'
    returning 1
  ), notified as (
    select ${notifyRunChanged("target.id", "target.status")} from target where target.status = 'CANCELLED'
  )
  select ${runColumns("target")}, (select count(*) from archived)::int as archived,
    (select count(*) from notified)::int as notified
  from target`,
);

// A new statement (a new snapshot) after the update matched nothing: the run is unknown or already final.
const current = defineStatement(
  "cancel_run_current",
  sql`select ${runColumns("r")} from ${runs} r where r.id = ${p("runId")}::bigint`,
);

/** Arguments of {@link cancelRun}, as in `WorkflowStore.cancelRun`. */
export interface CancelRunArgs {
  runId: string;
  reason?: string;
}

/**
 * Cancels a run: a QUEUED or PAUSED run ends CANCELLED at once, a RUNNING run gets the request recorded, a
 * CANCELLED run is returned unchanged. Returns the run as it is afterwards.
 * @throws RunNotFoundError for an unknown run; InvalidRunStateError for a SUCCESS or ERROR run.
 */
export async function cancelRun(executor: Executor, args: CancelRunArgs): Promise<RunRecord> {
  const runId = parseId(args.runId);
  if (runId === null) throw new RunNotFoundError(args.runId);
  // A second try only when a failed run was queued again between the two statements (then it is cancellable).
  for (let attempt = 0; ; attempt += 1) {
    const row = (await execute(executor, cancel, { runId, reason: args.reason ?? null }))[0];
    if (row) return toRunRecord(row);
    const existing = (await execute(executor, current, { runId }))[0];
    if (!existing) throw new RunNotFoundError(args.runId);
    const status = textOf(existing, "status");
    if (status === "CANCELLED") return toRunRecord(existing);
    if ((status === "SUCCESS" || status === "ERROR") || attempt > 0) {
      throw new InvalidRunStateError({
        runId: args.runId,
        status,
        message: `run ${args.runId} is ${status}, which is final; only a QUEUED, RUNNING or PAUSED run can be cancelled`,
      });
    }
  }
}
