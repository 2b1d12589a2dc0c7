import { assertEventName, toJsonValue } from "@pgqrs/core";
import type { EventRecord, JsonValue } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import { notifyEnqueued } from "../events";
import { eventColumns, intOf, jsonParam, parseId, toEventRecord } from "../rows";
import { events, runs } from "../schema";
import { defineStatement, execute } from "../statement";
import type { Executor, Row } from "../statement";
import { getEvent } from "./get-event";
import { refuseRunState } from "./resume-run";

const p = sql.placeholder;

/*
 * Locking: `target` is an UPDATE of the run row by primary key, only while the run is not final: it takes the row
 * lock and holds it until commit, and it is what meets pauseRun(waitEvent) without a lost wake-up (the interleavings
 * are spelled out in pause-run). Under READ COMMITTED an UPDATE that waited for a concurrent writer re-evaluates its
 * WHERE and SET on the newest committed row version, so the CASE below sees a pause that committed while this
 * statement waited: a run PAUSED waiting for this event becomes visible now; any other run keeps its visible_at
 * (the update then only takes the lock). The event is inserted from `target`, so a final or unknown run gets
 * nothing; ON CONFLICT DO NOTHING on (run_id, name) keeps the first payload (a concurrent second send waits on the
 * run row lock, then finds the first event committed). NOTIFY `enqueued` commits with the wake-up.
 */
const send = defineStatement(
  "send_event",
  sql`with target as (
    update ${runs} r set visible_at = case
        when r.status = 'PAUSED' and r.wait_event = ${p("name")}::text then least(r.visible_at, now())
        else r.visible_at end
    where r.id = ${p("runId")}::bigint and r.status in ('QUEUED', 'RUNNING', 'PAUSED')
    returning r.id, r.workflow, r.status = 'PAUSED' and r.wait_event = ${p("name")}::text as woken
  ), inserted as (
    insert into ${events} (run_id, name, payload)
    select id, ${p("name")}::text, ${p("payload")}::json from target
    on conflict (run_id, name) do nothing
    returning run_id, name, payload, sent_at
  ), notified as (
    select ${notifyEnqueued("target.workflow")} from target where target.woken
  )
  select (select count(*) from target)::int as found, (select count(*) from notified)::int as notified,
    i.* from (select 1) one left join (select ${eventColumns("inserted")} from inserted) i on true`,
);

/** Arguments of {@link sendEvent}, as in `WorkflowStore.sendEvent`. */
export interface SendEventArgs {
  runId: string;
  name: string;
  payload: JsonValue;
}

/**
 * Sends an event to a run in one statement; the first payload for a name wins. Wakes the run when it is PAUSED
 * waiting for this event.
 * @throws InvalidNameError for a bad event name; NotJsonError for a payload that is not JSON.
 * @throws RunNotFoundError for an unknown run; InvalidRunStateError for a final run (nothing is written).
 */
export async function sendEvent(executor: Executor, args: SendEventArgs): Promise<{ event: EventRecord; created: boolean }> {
  assertEventName(args.name);
  // The size limit is the caller's (the client's maxPayloadBytes); the store only refuses what is not JSON.
  const payload = toJsonValue(args.payload, { path: `event "${args.name}" payload`, maxBytes: Number.MAX_SAFE_INTEGER });
  const runId = parseId(args.runId);
  const row: Row | undefined =
    runId === null ? undefined : (await execute(executor, send, { runId, name: args.name, payload: jsonParam(payload) }))[0];
  if (!row || intOf(row, "found") === 0) {
    return refuseRunState(executor, {
      runId: args.runId,
      expected: "QUEUED, RUNNING or PAUSED",
      action: `sent event "${args.name}" (a final run can never receive it)`,
    });
  }
  if (row.run_id !== null && row.run_id !== undefined) return { event: toEventRecord(row), created: true };
  // The first send committed after this statement's snapshot (it held the run row lock): read it in a new one.
  const existing = await getEvent(executor, { runId: args.runId, name: args.name });
  if (!existing) throw new Error(`pgqrs: sendEvent of "${args.name}" to run ${args.runId} inserted nothing and found no event`);
  return { event: existing, created: false };
}
