import type { ClaimedRun } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import { boolOf, dateOf, epochMs, intOf, isUuid, jsonOf, stepFailuresOf, stepsJson, textOf, toStepRecords } from "../rows";
import { runs, workflows } from "../schema";
import { defineStatement, execute } from "../statement";
import type { Executor, Row } from "../statement";

const p = sql.placeholder;

/*
 * Locking: `picked` walks the partial claim index (workflow, visible_at, id) over claimable rows only, in claim
 * order, and locks up to `limit` of them FOR NO KEY UPDATE SKIP LOCKED. A row another claimer holds is skipped,
 * never waited for, so claimers do not block each other; a row a step write holds FOR SHARE (see save-step) is
 * skipped too, so a claim never races a write under the previous lease. When a row changed after this statement's
 * snapshot, PostgreSQL re-checks the WHERE clause against the newest version before locking it, so a run another
 * claimer just took (its visible_at is now in the future) is not taken twice. The update then hands each run a new lease token;
 * every fenced write of the previous holder compares tokens and fails from now on.
 *
 * One round trip: the same statement returns the runs and their completed steps (json_agg per run). It writes
 * nothing but the claimed rows, so an empty poll costs no write at all (the worker's last_seen_at is stamped by
 * the heartbeat, extendLeases).
 * A RUNNING row is only claimable once its lease ended (its worker died): that counts as a run failure.
 *
 * Operator pause: the `not exists` on the workflow row does not refer to the scanned rows, so PostgreSQL runs it
 * once per statement (an InitPlan gating the scan): a paused workflow costs one primary-key probe and reads no run.
 * It takes no lock; a pauseWorkflow that commits while this statement runs may still let this one claim.
 * Each claimed run also clears `wait_event` (it is no longer waiting), and reports `claimed_at` (this statement's
 * now(), the clock durable timers compare against) and whether a cancel was requested while it was RUNNING.
 */
export const claim = defineStatement(
  "claim_runs",
  sql`with picked as (
    select id, status, visible_at from ${runs}
    where workflow = ${p("workflow")}::text
      and status in ('QUEUED', 'RUNNING', 'PAUSED')
      and visible_at <= now()
      and not exists (select 1 from ${workflows} w where w.name = ${p("workflow")}::text and w.paused_at is not null)
    order by visible_at, id
    limit ${p("limit")}::int
    for no key update skip locked
  ), claimed as (
    update ${runs} r set
      status = 'RUNNING',
      attempt = r.attempt + 1,
      run_failures = r.run_failures + case when r.status = 'RUNNING' then 1 else 0 end,
      lease_token = gen_random_uuid(),
      worker_id = ${p("workerId")}::uuid,
      visible_at = now() + ${p("leaseMs")}::float8 * interval '1 millisecond',
      started_at = coalesce(r.started_at, now()),
      pause_reason = null,
      wait_event = null
    -- = ANY (array) keeps the update on the primary key even under a generic plan, which guesses the LIMIT.
    where r.id = any (array(select id from picked))
    returning r.id, r.message_id, r.workflow, r.input, r.attempt, r.lease_token, r.visible_at, r.run_failures,
      r.step_failures, r.cancel_requested_at is not null as cancel_requested
  )
  select c.id::text as run_id, c.message_id::text as message_id, c.workflow, c.input::text as input, c.attempt,
    c.lease_token::text as lease_token, ${epochMs("c.visible_at")} as lease_expires_at, c.run_failures,
    c.step_failures::text as step_failures, p.status as previous_status, ${epochMs("now()")} as claimed_at,
    c.cancel_requested, ${stepsJson("c.id")} as steps
  from claimed c join picked p on p.id = c.id
  order by p.visible_at, p.id`,
);

function toClaimedRun(row: Row): ClaimedRun {
  return {
    runId: textOf(row, "run_id"),
    messageId: textOf(row, "message_id"),
    workflow: textOf(row, "workflow"),
    input: jsonOf(row, "input") ?? null,
    attempt: intOf(row, "attempt"),
    leaseToken: textOf(row, "lease_token"),
    leaseExpiresAt: dateOf(row, "lease_expires_at"),
    runFailures: intOf(row, "run_failures"),
    stepFailures: stepFailuresOf(row),
    resumedFromPause: textOf(row, "previous_status") === "PAUSED",
    claimedAt: dateOf(row, "claimed_at"),
    cancelRequested: boolOf(row, "cancel_requested"),
    steps: toStepRecords(row, "steps"),
  };
}

/** Arguments of {@link claimRuns}, as in `WorkflowStore.claimRuns`. */
export interface ClaimRunsArgs {
  workerId: string;
  workflow: string;
  limit: number;
  leaseMs: number;
}

/** Claims up to `limit` visible runs of a workflow in one statement. */
export async function claimRuns(executor: Executor, args: ClaimRunsArgs): Promise<ClaimedRun[]> {
  const limit = Math.floor(args.limit);
  if (!(limit > 0)) return [];
  const rows = await execute(executor, claim, {
    workflow: args.workflow,
    limit,
    workerId: isUuid(args.workerId) ? args.workerId : null,
    leaseMs: args.leaseMs,
  });
  return rows.map(toClaimedRun);
}

