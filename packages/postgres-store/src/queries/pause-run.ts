import type { StoreEvent } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import { parseId, textOf } from "../rows";
import { events, runs } from "../schema";
import { defineStatement, execute, inTransaction } from "../statement";
import type { Executor } from "../statement";
import { fencedUpdate, runFenced } from "./finish";

const p = sql.placeholder;

/*
 * Locking: one UPDATE of the run row fenced by its lease token and RUNNING status, as every fencedUpdate (see finish). No failure is
 * counted. The run stays in the claim index with visible_at at the pause's end, so the next claim after that time
 * (or after resumeRun moves visible_at to now) delivers it again. A pause that is already over announces `enqueued`
 * (published after the commit, as every event of a fenced write).
 * A run whose cancel was requested ends CANCELLED instead (decided on the locked row version).
 */
const pause = fencedUpdate(
  "pause_run",
  {
    status: sql`'PAUSED'`,
    pause_reason: sql`${p("reason")}::text`,
    wait_event: sql`${p("waitEvent")}::text`,
    visible_at: sql`coalesce(${p("until")}::timestamptz, now() + ${p("delayMs")}::float8 * interval '1 millisecond')`,
  },
  { announceVisible: true, cancelInstead: true },
);

/*
 * A pause with `waitEvent` must never miss an event (no lost wake-up). It runs `pause` and then `wakeIfSent` in ONE
 * READ COMMITTED transaction; sendEvent (see send-event) is one statement whose UPDATE locks the same run row, and
 * inserts the event, in one transaction. The row lock orders the two, and each holds it until it commits:
 *
 * - sendEvent locks the row first: `pause` waits for sendEvent to commit (the event row commits with it), then
 *   re-checks its fence on the new row version and pauses. `wakeIfSent` is a new statement, so it takes a new
 *   snapshot, which sees the committed event, and makes the run visible now.
 * - pauseRun locks the row first: sendEvent's UPDATE waits until this whole transaction commits (`wakeIfSent` found
 *   no event), then re-evaluates its WHERE and SET on the new row version (READ COMMITTED UPDATE semantics): the run
 *   is PAUSED with wait_event = name, so sendEvent itself makes it visible now and publishes `enqueued`.
 * - One commits before the other starts: the later one sees the earlier one's change, as in the cases above.
 *
 * Either way, whichever commits second sees the other; no order leaves the run paused with its event sent.
 * `wakeIfSent` only moves visibility earlier (a pause already due was announced by `pause`); the `enqueued` of a
 * woken run is published once the transaction has committed.
 */
const wakeIfSent = defineStatement(
  "pause_run_wake_if_sent",
  sql`with woken as (
    update ${runs} r set visible_at = now()
    where r.id = ${p("runId")}::bigint and r.status = 'PAUSED' and r.wait_event = ${p("waitEvent")}::text
      and r.visible_at > now()
      and exists (select 1 from ${events} e where e.run_id = r.id and e.name = ${p("waitEvent")}::text)
    returning r.workflow
  )
  select woken.workflow from woken`,
);

/** Arguments of {@link pauseRun}, as in `WorkflowStore.pauseRun`. */
export interface PauseRunArgs {
  runId: string;
  leaseToken: string;
  delayMs?: number;
  until?: Date;
  reason?: string;
  waitEvent?: string;
}

/**
 * Makes the run PAUSED until `until` (or now + `delayMs`), fenced; with `waitEvent`, visible at once when that event
 * was already sent. A run whose cancel was requested ends CANCELLED instead.
 * Returns the events to publish once it has committed.
 * @throws LeaseLostError when the lease is no longer current.
 */
export async function pauseRun(executor: Executor, args: PauseRunArgs): Promise<StoreEvent[]> {
  const values = {
    runId: args.runId,
    leaseToken: args.leaseToken,
    reason: args.reason ?? null,
    waitEvent: args.waitEvent ?? null,
    until: args.until ? args.until.toISOString() : null,
    delayMs: Math.max(0, args.delayMs ?? 0),
  };
  if (args.waitEvent === undefined) return runFenced(executor, pause, values);
  const waitEvent = args.waitEvent;
  return inTransaction(executor, async (transaction) => {
    const events = await runFenced(transaction, pause, values);
    const woken = (await execute(transaction, wakeIfSent, { runId: parseId(args.runId), waitEvent }))[0];
    return woken ? [...events, { type: "enqueued", workflow: textOf(woken, "workflow") } satisfies StoreEvent] : events;
  });
}
