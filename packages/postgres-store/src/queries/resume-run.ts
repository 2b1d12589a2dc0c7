import { InvalidRunStateError, RunNotFoundError } from "@pgqrs/core";
import type { RunRecord } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import { notifyEnqueued } from "../events";
import { parseId, runColumns, textOf, toRunRecord } from "../rows";
import { runs } from "../schema";
import { defineStatement, execute } from "../statement";
import type { Executor } from "../statement";

const p = sql.placeholder;

/*
 * Locking: one UPDATE of the run row, only while it is PAUSED. A claim holding the row (the pause had already ended)
 * makes it wait and then re-check: the run is RUNNING by then and nothing changes. NOTIFY `enqueued` commits with it.
 */
const resume = defineStatement(
  "resume_run",
  sql`with resumed as (
    update ${runs} r set visible_at = now() where r.id = ${p("runId")}::bigint and r.status = 'PAUSED' returning r.*
  ), notified as (
    select ${notifyEnqueued("resumed.workflow")} from resumed
  )
  select ${runColumns("resumed")}, (select count(*) from notified)::int as notified from resumed`,
);

const statusOf = defineStatement(
  "run_status",
  sql`select status from ${runs} where id = ${p("runId")}::bigint`,
);

/** Why a run-state change was refused: unknown run, or a run in another status. */
export async function refuseRunState(
  executor: Executor,
  args: { runId: string; expected: string; action: string },
): Promise<never> {
  const runId = parseId(args.runId);
  const row = runId === null ? undefined : (await execute(executor, statusOf, { runId }))[0];
  if (!row) throw new RunNotFoundError(args.runId);
  const status = textOf(row, "status");
  throw new InvalidRunStateError({
    runId: args.runId,
    status,
    message: `run ${args.runId} is ${status}, not ${args.expected}; only a ${args.expected} run can be ${args.action}`,
  });
}

/**
 * Makes a PAUSED run visible now and returns it.
 * @throws RunNotFoundError for an unknown run; InvalidRunStateError for a run that is not PAUSED.
 */
export async function resumeRun(executor: Executor, args: { runId: string }): Promise<RunRecord> {
  const runId = parseId(args.runId);
  const row = runId === null ? undefined : (await execute(executor, resume, { runId }))[0];
  if (row) return toRunRecord(row);
  return refuseRunState(executor, { runId: args.runId, expected: "PAUSED", action: "resumed" });
}
