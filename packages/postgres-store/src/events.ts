import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { RunStatus, StoreEvent } from "@pgqrs/core/storage";
import { defineStatement } from "./statement";

/** The NOTIFY channel every pgqrs event goes to. Payloads are small JSON objects, one {@link StoreEvent} each. */
export const eventChannel = "pgqrs_events";

/**
 * `pg_notify` of an `enqueued` event for the workflow in `workflowColumn`. NOTIFY is transactional: listeners hear
 * it when the statement's transaction commits, never before the change is visible.
 */
export function notifyEnqueued(workflowColumn: string): SQL {
  return sql.raw(`pg_notify('${eventChannel}', json_build_object('type', 'enqueued', 'workflow', ${workflowColumn})::text)`);
}

/** `pg_notify` of a `run-changed` event for the run in `runIdColumn`, now in `statusColumn`. */
export function notifyRunChanged(runIdColumn: string, statusColumn: string): SQL {
  return sql.raw(
    `pg_notify('${eventChannel}', json_build_object('type', 'run-changed', 'runId', ${runIdColumn}::text, 'status', ${statusColumn})::text)`,
  );
}

/** The NOTIFY payload of `event`: the same JSON that {@link parseEvent} reads. */
export function eventPayload(event: StoreEvent): string {
  return JSON.stringify(event);
}

/*
 * Locking: none on rows. This is the only statement that publishes events after the write they announce has
 * committed (see notifier). It runs on its own, outside any write transaction: PostgreSQL takes one server-wide lock
 * when a transaction that issued NOTIFY commits and holds it until the commit is done, and a transaction that wrote
 * nothing else commits without waiting for a WAL flush, so this one holds the lock for microseconds instead of an
 * fsync. `payloads` is a JSON array of strings (driver-neutral: pg and PGlite bind it alike).
 */
export const publishEvents = defineStatement(
  "publish_events",
  sql`with notified as (
    select pg_notify(${sql.raw(`'${eventChannel}'`)}, payload) from json_array_elements_text(${sql.placeholder("payloads")}::json) payload
  )
  select count(*)::int as notified from notified`,
);

/** Parses a NOTIFY payload; `null` for anything that is not a pgqrs event. */
export function parseEvent(payload: string | undefined): StoreEvent | null {
  if (payload === undefined) return null;
  try {
    const value: unknown = JSON.parse(payload);
    if (typeof value !== "object" || value === null) return null;
    const event = value as Record<string, unknown>;
    if (event.type === "enqueued" && typeof event.workflow === "string") {
      return { type: "enqueued", workflow: event.workflow };
    }
    if (event.type === "run-changed" && typeof event.runId === "string" && typeof event.status === "string") {
      return { type: "run-changed", runId: event.runId, status: event.status as RunStatus };
    }
    return null;
  } catch {
    return null;
  }
}
