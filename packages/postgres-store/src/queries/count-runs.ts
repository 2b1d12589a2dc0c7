import { runStatuses } from "@pgqrs/core/storage";
import type { RunCounts, RunStatus } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import { epochMs, intOf, optionalDateOf, textOf } from "../rows";
import { runs } from "../schema";
import { executeDynamic } from "../statement";
import type { Executor } from "../statement";

/**
 * Counts runs by status plus the claimable queue depth, in one statement. Locking: none, plain reads. The queue
 * depth reads the claim index (its predicate covers QUEUED), so it stays cheap with millions of final runs.
 */
export async function countRuns(executor: Executor, args: { workflow?: string }): Promise<RunCounts> {
  const filter = args.workflow === undefined ? sql`true` : sql`workflow = ${args.workflow}::text`;
  const rows = await executeDynamic(
    executor,
    sql`select
      coalesce((select json_object_agg(status, n) from
        (select status, count(*) as n from ${runs} where ${filter} group by status) s), '{}'::json)::text as by_status,
      (select count(*) from ${runs} where ${filter} and status = 'QUEUED' and visible_at <= now())::int as visible_queued,
      (select ${epochMs("min(visible_at)")} from ${runs}
        where ${filter} and status = 'QUEUED' and visible_at <= now()) as oldest_queued_at`,
  );
  const row = rows[0];
  const counted = row ? (JSON.parse(textOf(row, "by_status")) as Record<string, number>) : {};
  const byStatus = {} as Record<RunStatus, number>;
  for (const status of runStatuses) byStatus[status] = Number(counted[status] ?? 0);
  for (const [status, count] of Object.entries(counted)) {
    if (!(status in byStatus)) (byStatus as Record<string, number>)[status] = Number(count);
  }
  return {
    byStatus,
    visibleQueued: row ? intOf(row, "visible_queued") : 0,
    oldestQueuedAt: row ? optionalDateOf(row, "oldest_queued_at") : null,
  };
}
