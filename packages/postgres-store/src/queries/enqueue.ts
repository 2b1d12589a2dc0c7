import { UnknownWorkflowError } from "@pgqrs/core";
import type { JsonValue, MessageRecord } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import { errorCode } from "../connection-errors";
import { notifyEnqueued } from "../events";
import { dateOf, epochMs, jsonParam, textOf } from "../rows";
import type { Row } from "../statement";
import { messages, runs } from "../schema";
import { defineStatement, execute } from "../statement";
import type { Executor } from "../statement";

const p = sql.placeholder;

/*
 * Locking: none taken explicitly. The message and its run are inserted in one statement (one transaction). The
 * partial unique index on (workflow, idempotency_key) makes concurrent enqueues with the same key race on the index:
 * ON CONFLICT DO NOTHING makes the loser wait for the winner's commit and then insert nothing, so exactly one message
 * exists per key. The workflow foreign key rejects unknown workflows (the statement writes nothing then).
 * pg_notify runs in the same statement, so listeners hear of the message exactly when it commits.
 */
const insertMessage = defineStatement(
  "enqueue",
  sql`with msg as (
    insert into ${messages} (workflow, idempotency_key, visible_at)
    values (${p("workflow")}::text, ${p("idempotencyKey")}::text,
      coalesce(${p("runAt")}::timestamptz, now() + ${p("delayMs")}::float8 * interval '1 millisecond'))
    on conflict (workflow, idempotency_key) where idempotency_key is not null do nothing
    returning id, workflow, created_at, visible_at
  ), run as (
    insert into ${runs} (message_id, workflow, input, visible_at, created_at)
    select id, workflow, ${p("input")}::json, visible_at, created_at from msg
    returning id, message_id
  ), notified as (
    select ${notifyEnqueued("msg.workflow")} from msg where msg.visible_at <= now()
  )
  select msg.id::text as message_id, run.id::text as run_id, msg.workflow,
    ${epochMs("msg.created_at")} as created_at, ${epochMs("msg.visible_at")} as visible_at,
    (select count(*) from notified)::int as notified
  from msg join run on run.message_id = msg.id`,
);

// Read in a new statement (a new snapshot): the winner of a key race may have committed after the insert's snapshot.
const findByKey = defineStatement(
  "enqueue_existing",
  sql`select m.id::text as message_id, r.id::text as run_id, m.workflow,
    ${epochMs("m.created_at")} as created_at, ${epochMs("m.visible_at")} as visible_at
  from ${messages} m join ${runs} r on r.message_id = m.id
  where m.workflow = ${p("workflow")}::text and m.idempotency_key = ${p("idempotencyKey")}::text`,
);

function toMessage(row: Row): MessageRecord {
  return {
    id: textOf(row, "message_id"),
    runId: textOf(row, "run_id"),
    workflow: textOf(row, "workflow"),
    createdAt: dateOf(row, "created_at"),
    visibleAt: dateOf(row, "visible_at"),
  };
}

/** Arguments of {@link enqueue}, as in `WorkflowStore.enqueue`. */
export interface EnqueueArgs {
  workflow: string;
  input: JsonValue;
  idempotencyKey?: string;
  delayMs?: number;
  runAt?: Date;
}

/** Inserts a message and its QUEUED run (or returns the message with the same idempotency key). */
export async function enqueue(
  executor: Executor,
  args: EnqueueArgs,
): Promise<{ message: MessageRecord; created: boolean }> {
  const values = {
    workflow: args.workflow,
    idempotencyKey: args.idempotencyKey ?? null,
    runAt: args.runAt ? args.runAt.toISOString() : null,
    delayMs: args.delayMs ?? 0,
    input: jsonParam(args.input),
  };
  let rows: Row[];
  try {
    rows = await execute(executor, insertMessage, values);
  } catch (error) {
    if (errorCode(error) === "23503") throw new UnknownWorkflowError(args.workflow);
    throw error;
  }
  const inserted = rows[0];
  if (inserted) return { message: toMessage(inserted), created: true };
  const existing = (await execute(executor, findByKey, { workflow: args.workflow, idempotencyKey: values.idempotencyKey }))[0];
  if (!existing) throw new Error(`pgqrs: enqueue of "${args.workflow}" inserted nothing and found no message with its key`);
  return { message: toMessage(existing), created: false };
}
