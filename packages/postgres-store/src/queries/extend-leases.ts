import type { Lease } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import { isUuid, parseId, textOf } from "../rows";
import { runs, workers } from "../schema";
import { defineStatement, execute } from "../statement";
import { runsLockedInIdOrder } from "./run-locks";
import type { Executor } from "../statement";

const p = sql.placeholder;

/*
 * Locking: one statement over all of the worker's leases. `locked` takes their rows FOR NO KEY UPDATE in id order
 * (see run-locks); the update then writes only rows it holds. A lease is extended only while its token is still the
 * run's and the run is RUNNING, compared on the row version the lock returned. If a claimer holds the row (the lease had
 * expired), the lock waits for it and then reads the committed row, so a reclaimed run is never extended; if the
 * heartbeat gets there first, the claimer skips the row and afterwards sees a lease end in the future. The worker's
 * last_seen_at is stamped in the same statement.
 * Each extended row also says whether a cancel was requested for it: RETURNING reads the row version this update
 * wrote, so a cancelRun that committed before the update took the row lock is always seen.
 */
const extend = defineStatement(
  "extend_leases",
  sql`with leases as (
    select * from json_to_recordset(${p("leases")}::json) as l(run_id bigint, lease_token uuid)
  ), locked as (
    ${runsLockedInIdOrder(sql`select run_id from leases`, "no key update")}
  ), extended as (
    update ${runs} r set visible_at = now() + ${p("leaseMs")}::float8 * interval '1 millisecond'
    from leases l, locked k
    where k.id = l.run_id and k.lease_token = l.lease_token and k.status = 'RUNNING'
      and r.id = k.id and r.lease_token = l.lease_token
    returning r.id, r.cancel_requested_at is not null as cancel_requested
  ), seen as (
    update ${workers} set last_seen_at = now() where id = ${p("workerId")}::uuid returning 1
  )
  select coalesce((select json_agg(id::text) from extended), '[]'::json)::text as extended,
    coalesce((select json_agg(id::text) from extended where cancel_requested), '[]'::json)::text as cancel_requested,
    (select count(*) from seen)::int as seen`,
);

/** Arguments of {@link extendLeases}, as in `WorkflowStore.extendLeases`. */
export interface ExtendLeasesArgs {
  workerId: string;
  leaseMs: number;
  leases: Lease[];
}

/**
 * Extends every still-current lease of a worker in one statement and returns the runs it extended, and those of
 * them whose cancel was requested.
 */
export async function extendLeases(
  executor: Executor,
  args: ExtendLeasesArgs,
): Promise<{ extended: string[]; cancelRequested: string[] }> {
  // A malformed id or token cannot be current; leaving it out keeps the casts in SQL from failing the whole batch.
  const leases = args.leases.flatMap((lease) => {
    const runId = parseId(lease.runId);
    return runId !== null && isUuid(lease.leaseToken) ? [{ run_id: runId, lease_token: lease.leaseToken }] : [];
  });
  const rows = await execute(executor, extend, {
    leases: JSON.stringify(leases),
    leaseMs: args.leaseMs,
    workerId: isUuid(args.workerId) ? args.workerId : null,
  });
  const row = rows[0];
  return {
    extended: row ? (JSON.parse(textOf(row, "extended")) as string[]) : [],
    cancelRequested: row ? (JSON.parse(textOf(row, "cancel_requested")) as string[]) : [],
  };
}
