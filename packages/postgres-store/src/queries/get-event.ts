import type { EventRecord } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import { eventColumns, parseId, toEventRecord } from "../rows";
import { events } from "../schema";
import { defineStatement, execute } from "../statement";
import type { Executor } from "../statement";

const p = sql.placeholder;

/* Locking: none; a plain read of one event by primary key. Events never change once written. */
const get = defineStatement(
  "get_event",
  sql`select ${eventColumns("e")} from ${events} e where e.run_id = ${p("runId")}::bigint and e.name = ${p("name")}::text`,
);

/** Returns the event `name` sent to the run, or `null` when none was sent. */
export async function getEvent(executor: Executor, args: { runId: string; name: string }): Promise<EventRecord | null> {
  const runId = parseId(args.runId);
  if (runId === null || typeof args.name !== "string") return null;
  const row = (await execute(executor, get, { runId, name: args.name }))[0];
  return row ? toEventRecord(row) : null;
}
