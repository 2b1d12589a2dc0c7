/**
 * The pgqrs tables, all in the `pgqrs` schema. drizzle-kit turns this file into the SQL in `drizzle/`
 * (`pnpm db:generate`); never edit a released migration, change this file and generate a new one.
 *
 * Layout: `messages` is what a trigger created (workflow, idempotency key, when it was enqueued, when it was
 * archived). `runs` is one row per message and also carries the live queue state of that message (status,
 * visibility, lease token, delivery count), so the hot paths — claim, heartbeat and step write — each read and
 * lock a single `runs` row instead of keeping two tables in step. `steps` holds completed step outputs and
 * `events` the events sent to runs (first payload per name wins). An operator pause is one column on `workflows`
 * that the claim reads, not a state of every run; a cancel request is two columns on the run.
 *
 * JSON payloads (input, outputs, errors) are `json`, not `jsonb`: pgqrs stores and returns them and never
 * queries inside them, and `json` keeps them byte for byte (key order, `\u0000` escapes) so a value reads back
 * exactly as it was written. SQL NULL in an output column is a void (`undefined`) output; the JSON literal
 * `null` is a `null` output.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  json,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/** The schema every pgqrs table lives in; pgqrs never touches the host application's schemas. */
export const pgqrs = pgSchema("pgqrs");

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** Registered workflows, by name. */
export const workflows = pgqrs.table("workflows", {
  name: text("name").primaryKey(),
  createdAt: timestamptz("created_at").notNull().defaultNow(),
  /** Set while an operator has paused the workflow (`pauseWorkflow`): the claim statement skips all its runs. */
  pausedAt: timestamptz("paused_at"),
});

/** One row per worker process incarnation. */
export const workers = pgqrs.table(
  "workers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    workflow: text("workflow").notNull(),
    startedAt: timestamptz("started_at").notNull().defaultNow(),
    lastSeenAt: timestamptz("last_seen_at").notNull().defaultNow(),
    stoppedAt: timestamptz("stopped_at"),
  },
  (table) => [index("workers_last_seen_idx").on(table.lastSeenAt)],
);

/** The queue entries triggers create. Immutable except for the archive mark. */
export const messages = pgqrs.table(
  "messages",
  {
    id: bigint("id", { mode: "bigint" }).primaryKey().generatedAlwaysAsIdentity(),
    workflow: text("workflow")
      .notNull()
      .references(() => workflows.name),
    idempotencyKey: text("idempotency_key"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    /** When the message first became claimable (the run's `visible_at` tracks it afterwards). */
    visibleAt: timestamptz("visible_at").notNull().defaultNow(),
    /** Set when the run becomes final; cleared when a failed run is queued again. */
    archivedAt: timestamptz("archived_at"),
  },
  (table) => [
    // The idempotency guarantee under concurrent triggers: enqueue inserts ON CONFLICT DO NOTHING on this index.
    uniqueIndex("messages_idempotency_key_idx")
      .on(table.workflow, table.idempotencyKey)
      .where(sql`idempotency_key is not null`),
  ],
);

/** Run statuses the table accepts. */
const runStatuses = sql`'QUEUED', 'RUNNING', 'SUCCESS', 'ERROR', 'PAUSED', 'CANCELLED'`;

/** One run per message, with the message's live queue state. */
export const runs = pgqrs.table(
  "runs",
  {
    id: bigint("id", { mode: "bigint" }).primaryKey().generatedAlwaysAsIdentity(),
    messageId: bigint("message_id", { mode: "bigint" })
      .notNull()
      .references(() => messages.id),
    /** Copied from the message so the claim index needs no join. */
    workflow: text("workflow").notNull(),
    status: text("status").notNull().default("QUEUED"),
    input: json("input").notNull(),
    /** SQL NULL: no output (void, or not finished); JSON `null`: the handler returned `null`. */
    output: json("output"),
    error: json("error"),
    /** Delivery count: 0 before the first claim. */
    attempt: integer("attempt").notNull().default(0),
    runFailures: integer("run_failures").notNull().default(0),
    /** `{ [stepId]: failures }`. */
    stepFailures: jsonb("step_failures").notNull().default(sql`'{}'::jsonb`),
    pauseReason: text("pause_reason"),
    /** The event a PAUSED run waits for (`pauseRun`'s `waitEvent`); `sendEvent` of it wakes the run. Cleared on claim. */
    waitEvent: text("wait_event"),
    /** When `cancelRun` was called; on a RUNNING run, a request its worker has yet to act on. */
    cancelRequestedAt: timestamptz("cancel_requested_at"),
    cancelReason: text("cancel_reason"),
    /**
     * When the run is next claimable: for QUEUED and PAUSED runs their visibility time, for RUNNING runs the end
     * of the current lease (a dead worker's run becomes claimable then), NULL once final.
     */
    visibleAt: timestamptz("visible_at"),
    /** The current lease; NULL unless RUNNING. Every fenced write compares it. */
    leaseToken: uuid("lease_token"),
    /** The worker holding the current lease (for operators; fencing uses the token). */
    workerId: uuid("worker_id"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    startedAt: timestamptz("started_at"),
    finishedAt: timestamptz("finished_at"),
  },
  (table) => [
    uniqueIndex("runs_message_id_idx").on(table.messageId),
    // The claim index, in claim order (visible_at, then id, so ORDER BY … LIMIT reads it without sorting). Final
    // runs (millions, over time) are not in it at all; delayed and leased runs sort after `now()`, so a claim reads
    // only the claimable prefix of one workflow.
    index("runs_claim_idx")
      .on(table.workflow, table.visibleAt, table.id)
      .where(sql`status in ('QUEUED', 'RUNNING', 'PAUSED')`),
    // Keyset paging of listRuns, newest first, with and without a workflow filter.
    index("runs_created_idx").on(table.createdAt, table.id),
    index("runs_workflow_created_idx").on(table.workflow, table.createdAt, table.id),
    check("runs_status_check", sql`status in (${runStatuses})`),
  ],
);

/**
 * Completed step outputs; the primary key makes the first output win. No foreign key to `runs`: the step write
 * already locks its run row (the lease check), which is what keeps it from vanishing, and an extra RI check
 * would cost every step write another index probe.
 */
export const steps = pgqrs.table(
  "steps",
  {
    runId: bigint("run_id", { mode: "bigint" }).notNull(),
    stepId: text("step_id").notNull(),
    /** SQL NULL: a void step; JSON `null`: a step that returned `null`. */
    output: json("output"),
    completedAt: timestamptz("completed_at").notNull().defaultNow(),
    /** Completion order within a run (timestamps can tie). */
    seq: bigint("seq", { mode: "bigint" }).notNull().generatedAlwaysAsIdentity(),
  },
  (table) => [primaryKey({ name: "steps_pkey", columns: [table.runId, table.stepId] })],
);

/**
 * Events sent to runs (`sendEvent`); the primary key makes the first payload for a name win. No foreign key to
 * `runs`, as for `steps`: `sendEvent` locks the run row itself (it must, to meet `pauseRun` without a lost wake-up).
 */
export const events = pgqrs.table(
  "events",
  {
    runId: bigint("run_id", { mode: "bigint" }).notNull(),
    name: text("name").notNull(),
    payload: json("payload").notNull(),
    sentAt: timestamptz("sent_at").notNull().defaultNow(),
  },
  (table) => [primaryKey({ name: "events_pkey", columns: [table.runId, table.name] })],
);
