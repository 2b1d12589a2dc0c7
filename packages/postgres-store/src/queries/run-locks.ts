import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { runs } from "../schema";

/**
 * The one way a statement locks several run rows: by primary key alone (the ids come from `ids`, a subquery over the
 * statement's input CTE, e.g. `select run_id from input`), in id order, selecting `id`, `lease_token`, `status` and
 * `cancel_requested`. ORDER BY sits below the row locking, so rows are locked in that order; since every multi-row
 * lock of the run table (batched step writes and completions, the heartbeat) goes through here, two of them never
 * wait for each other in a cycle. Claims skip locked rows and never wait.
 *
 * The caller compares token and status on the returned row, which is the newest committed version (a lock that
 * waited reads the row the other transaction left). Leaving them out of the lock's own filter keeps the plan a
 * primary-key probe: with a status there, a planner without fresh statistics (a new or bulk-loaded table) walks the
 * partial claim index over every queued run instead.
 */
export function runsLockedInIdOrder(ids: SQL, strength: "share" | "no key update"): SQL {
  return sql`select r.id, r.lease_token, r.status, r.cancel_requested_at is not null as cancel_requested from ${runs} r
    where r.id = any (array(${ids}))
    order by r.id
    for ${sql.raw(strength)}`;
}
