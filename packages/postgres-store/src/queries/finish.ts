import { LeaseLostError } from "@pgqrs/core";
import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { notifyEnqueued, notifyRunChanged } from "../events";
import { intOf, isUuid, parseId } from "../rows";
import { messages, runs } from "../schema";
import { defineStatement, execute } from "../statement";
import type { Executor, Statement } from "../statement";

const p = sql.placeholder;

/** What a fenced end-of-attempt write does besides setting `set`. */
export interface FencedUpdateOptions {
  /** Archive the message (final statuses). */
  archive: boolean;
  /** Also publish `enqueued` when the run is claimable at once. */
  announceVisible: boolean;
}

/**
 * Builds the shared shape of complete / fail / retry / pause / release: ONE statement that updates the run only
 * while `leaseToken` is its current token and it is RUNNING, clears the lease, optionally archives the message,
 * and queues NOTIFYs that go out when it commits. Placeholders `runId` and `leaseToken` are always bound.
 */
export function fencedUpdate(name: string, set: SQL, options: FencedUpdateOptions): Statement {
  const archive = options.archive
    ? sql`update ${messages} m set archived_at = now() from done where m.id = done.message_id returning 1`
    : sql`select 1 where false`;
  const visible = options.announceVisible
    ? sql` union all select ${notifyEnqueued("done.workflow")} from done where done.visible_at <= now()`
    : sql``;
  return defineStatement(
    name,
    sql`with done as (
      update ${runs} r set ${set}, lease_token = null, worker_id = null
      where r.id = ${p("runId")}::bigint and r.lease_token = ${p("leaseToken")}::uuid and r.status = 'RUNNING'
      returning r.id, r.message_id, r.workflow, r.status, r.visible_at
    ), archived as (
      ${archive}
    ), notified as (
      select ${notifyRunChanged("done.id", "done.status")} from done${visible}
    )
    select (select count(*) from done)::int as updated, (select count(*) from archived)::int as archived,
      (select count(*) from notified)::int as notified`,
  );
}

/**
 * Runs a statement built by {@link fencedUpdate}.
 * @throws LeaseLostError when nothing was updated: the token is stale or the run is no longer RUNNING.
 */
export async function runFenced(
  executor: Executor,
  statement: Statement,
  values: { runId: string; leaseToken: string } & Record<string, unknown>,
): Promise<void> {
  const runId = parseId(values.runId);
  if (runId === null || !isUuid(values.leaseToken)) throw new LeaseLostError({ runId: values.runId });
  const row = (await execute(executor, statement, { ...values, runId }))[0];
  if (!row || intOf(row, "updated") === 0) throw new LeaseLostError({ runId: values.runId });
}
