import { LeaseLostError } from "@pgqrs/core";
import type { RunStatus, StoreEvent } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { boolOf, isUuid, parseId, textOf } from "../rows";
import { messages, runs } from "../schema";
import { defineStatement, execute } from "../statement";
import type { Executor, Statement } from "../statement";

const p = sql.placeholder;

/** What a fenced end-of-attempt write does besides setting its columns. */
export interface FencedUpdateOptions {
  /** Also announce `enqueued` when the run is claimable at once. */
  announceVisible: boolean;
  /**
   * A run whose cancel was requested (`cancel_requested_at` set) ends CANCELLED instead: final, `finished_at` now,
   * not visible, pause and wait cleared (retry, pause and release; see docs/decisions on cancellation).
   */
  cancelInstead: boolean;
}

/** The columns a pending cancel request overrides, with their CANCELLED values. */
const cancelledValues: Record<string, SQL> = {
  status: sql`'CANCELLED'`,
  visible_at: sql`null`,
  finished_at: sql`now()`,
  pause_reason: sql`null`,
  wait_event: sql`null`,
};

function assignments(set: Record<string, SQL>, cancelInstead: boolean): SQL {
  const columns = { ...set };
  if (cancelInstead) {
    for (const [column, cancelled] of Object.entries(cancelledValues)) {
      const otherwise = columns[column] ?? sql.raw(`r.${column}`);
      // Evaluated on the row version the update locks (re-checked after waiting), so a request that committed first
      // is always honoured.
      columns[column] = sql`case when r.cancel_requested_at is not null then ${cancelled} else ${otherwise} end`;
    }
  }
  return sql.join(
    Object.entries(columns).map(([column, value]) => sql`${sql.raw(column)} = ${value}`),
    sql`, `,
  );
}

/**
 * Builds the shared shape of complete / fail / retry / pause / release / acknowledge-cancel: ONE statement that
 * updates the run only while `leaseToken` is its current token and it is RUNNING, clears the lease and archives the
 * message when the run became final. `set` maps column names to their new values (SQL over the run row `r`).
 * Placeholders `runId` and `leaseToken` are always bound.
 *
 * It issues no NOTIFY: a transaction that notifies holds PostgreSQL's server-wide notify lock until its commit is
 * flushed, which would make every completion commit one after another. It returns what happened instead, and the
 * store publishes the events once the statement has committed (see notifier).
 */
export function fencedUpdate(name: string, set: Record<string, SQL>, options: FencedUpdateOptions): Statement {
  const visibleNow = options.announceVisible ? sql`done.visible_at <= now()` : sql`false`;
  return defineStatement(
    name,
    sql`with done as (
      update ${runs} r set ${assignments(set, options.cancelInstead)}, lease_token = null, worker_id = null
      where r.id = ${p("runId")}::bigint and r.lease_token = ${p("leaseToken")}::uuid and r.status = 'RUNNING'
      returning r.id, r.message_id, r.workflow, r.status, r.visible_at
    ), archived as (
      update ${messages} m set archived_at = now() from done
      where m.id = done.message_id and done.status in ('SUCCESS', 'ERROR', 'CANCELLED')
      returning 1
    )
    select done.workflow, done.status, coalesce(${visibleNow}, false) as visible_now,
      (select count(*) from archived)::int as archived
    from done`,
  );
}

/**
 * Runs a statement built by {@link fencedUpdate} and returns the events to publish once it has committed:
 * `run-changed` with the new status, and `enqueued` when the run is claimable at once (and the statement announces
 * that).
 * @throws LeaseLostError when nothing was updated: the token is stale or the run is no longer RUNNING.
 */
export async function runFenced(
  executor: Executor,
  statement: Statement,
  values: { runId: string; leaseToken: string } & Record<string, unknown>,
): Promise<StoreEvent[]> {
  const runId = parseId(values.runId);
  if (runId === null || !isUuid(values.leaseToken)) throw new LeaseLostError({ runId: values.runId });
  const row = (await execute(executor, statement, { ...values, runId }))[0];
  if (!row) throw new LeaseLostError({ runId: values.runId });
  const changed: StoreEvent = { type: "run-changed", runId, status: textOf(row, "status") as RunStatus };
  return boolOf(row, "visible_now") ? [changed, { type: "enqueued", workflow: textOf(row, "workflow") }] : [changed];
}
