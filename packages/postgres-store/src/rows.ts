/**
 * Turning rows into contract records. Every statement selects the same driver-neutral shapes, so `pg` and PGlite
 * decode alike: ids as text (they are bigint), times as epoch milliseconds (float8), JSON as text (so SQL NULL, a
 * void output, stays distinct from the JSON literal `null`).
 */
import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { EventRecord, JsonValue, RunRecord, RunStatus, StepRecord, StoredError, WorkerRecord, WorkflowRecord } from "@pgqrs/core/storage";
import type { Row } from "./statement";

/** SQL for `column` as epoch milliseconds (float8), NULL stays NULL. */
export function epochMs(column: string): SQL {
  return sql.raw(`(extract(epoch from ${column}) * 1000)::float8`);
}

/** The columns {@link toRunRecord} reads, from `pgqrs.runs` aliased as `alias`. */
export function runColumns(alias: string): SQL {
  const a = alias;
  return sql.join(
    [
      sql.raw(`${a}.id::text as run_id, ${a}.message_id::text as message_id, ${a}.workflow, ${a}.status`),
      sql.raw(`${a}.input::text as input, ${a}.output::text as output, ${a}.error::text as error`),
      sql.raw(`${a}.attempt, ${a}.run_failures, ${a}.step_failures::text as step_failures, ${a}.pause_reason`),
      sql`${epochMs(`${a}.created_at`)} as created_at, ${epochMs(`${a}.started_at`)} as started_at`,
      sql`${epochMs(`${a}.finished_at`)} as finished_at, ${epochMs(`${a}.visible_at`)} as visible_at`,
      sql`${epochMs(`${a}.cancel_requested_at`)} as cancel_requested_at, ${sql.raw(`${a}.cancel_reason`)}`,
    ],
    sql`, `,
  );
}

/** A JSON array of `{ stepId, output, void, completedAt }` for run `runIdColumn`, in completion order. */
export function stepsJson(runIdColumn: string): SQL {
  return sql.raw(
    `(select coalesce(json_agg(json_build_object('stepId', s.step_id, 'output', s.output, 'void', s.output is null, ` +
      `'completedAt', (extract(epoch from s.completed_at) * 1000)::float8) order by s.seq), '[]'::json)::text ` +
      `from "pgqrs"."steps" s where s.run_id = ${runIdColumn})`,
  );
}

function fail(key: string, value: unknown): never {
  throw new Error(`pgqrs: unexpected database value for ${key}: ${typeof value}`);
}

/** A text column. */
export function textOf(row: Row, key: string): string {
  const value = row[key];
  return typeof value === "string" ? value : fail(key, value);
}

/** A nullable text column. */
export function optionalTextOf(row: Row, key: string): string | null {
  const value = row[key];
  return value === null || value === undefined ? null : textOf(row, key);
}

/** An integer column (int4, or a count cast to int). */
export function intOf(row: Row, key: string): number {
  const value = row[key];
  if (typeof value === "number") return value;
  if (typeof value === "string" || typeof value === "bigint") return Number(value);
  return fail(key, value);
}

/** A boolean column. */
export function boolOf(row: Row, key: string): boolean {
  const value = row[key];
  return typeof value === "boolean" ? value : fail(key, value);
}

/** A nullable epoch-milliseconds column as a Date. */
export function optionalDateOf(row: Row, key: string): Date | null {
  const value = row[key];
  if (value === null || value === undefined) return null;
  const ms = typeof value === "number" ? value : Number(value);
  return Number.isFinite(ms) ? new Date(ms) : fail(key, value);
}

/** An epoch-milliseconds column as a Date. */
export function dateOf(row: Row, key: string): Date {
  return optionalDateOf(row, key) ?? fail(key, null);
}

/** A JSON text column; SQL NULL reads as `undefined` (void). */
export function jsonOf(row: Row, key: string): JsonValue | undefined {
  const text = optionalTextOf(row, key);
  return text === null ? undefined : (JSON.parse(text) as JsonValue);
}

/** A JSON value as the text parameter of a `::json` cast; `undefined` (void) becomes SQL NULL. */
export function jsonParam(value: JsonValue | undefined): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** Decodes the `step_failures` column. */
export function stepFailuresOf(row: Row): Record<string, number> {
  const value = jsonOf(row, "step_failures");
  const result: Record<string, number> = {};
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const [stepId, count] of Object.entries(value)) result[stepId] = Number(count);
  }
  return result;
}

/** Decodes {@link runColumns}. */
export function toRunRecord(row: Row): RunRecord {
  const status = textOf(row, "status") as RunStatus;
  const visibleAt = optionalDateOf(row, "visible_at");
  const error = jsonOf(row, "error");
  return {
    runId: textOf(row, "run_id"),
    messageId: textOf(row, "message_id"),
    workflow: textOf(row, "workflow"),
    status,
    input: jsonOf(row, "input") ?? null,
    output: jsonOf(row, "output"),
    error: error === undefined || error === null ? null : (error as unknown as StoredError),
    attempt: intOf(row, "attempt"),
    runFailures: intOf(row, "run_failures"),
    stepFailures: stepFailuresOf(row),
    createdAt: dateOf(row, "created_at"),
    startedAt: optionalDateOf(row, "started_at"),
    finishedAt: optionalDateOf(row, "finished_at"),
    // One column holds both: the visibility of a waiting run, the lease end of a running one.
    visibleAt: status === "RUNNING" ? null : visibleAt,
    leaseExpiresAt: status === "RUNNING" ? visibleAt : null,
    pauseReason: optionalTextOf(row, "pause_reason"),
    cancelRequestedAt: optionalDateOf(row, "cancel_requested_at"),
    cancelReason: optionalTextOf(row, "cancel_reason"),
  };
}

interface StepJson {
  stepId: string;
  output: JsonValue;
  void: boolean;
  completedAt: number;
}

/** Decodes {@link stepsJson}. */
export function toStepRecords(row: Row, key: string): StepRecord[] {
  const steps = JSON.parse(textOf(row, key)) as StepJson[];
  return steps.map((step) => ({
    stepId: step.stepId,
    output: step.void ? undefined : step.output,
    completedAt: new Date(step.completedAt),
  }));
}

/** The columns {@link toWorkflowRecord} reads, from `pgqrs.workflows` (or a CTE over it) named `alias`. */
export function workflowColumns(alias: string): SQL {
  return sql`${sql.raw(`${alias}.name`)}, ${epochMs(`${alias}.created_at`)} as created_at, ${epochMs(`${alias}.paused_at`)} as paused_at`;
}

/** Decodes {@link workflowColumns}. */
export function toWorkflowRecord(row: Row): WorkflowRecord {
  return { name: textOf(row, "name"), createdAt: dateOf(row, "created_at"), pausedAt: optionalDateOf(row, "paused_at") };
}

/** The columns {@link toEventRecord} reads, from `pgqrs.events` (or a CTE over it) named `alias`. */
export function eventColumns(alias: string): SQL {
  const a = alias;
  return sql`${sql.raw(`${a}.run_id::text as run_id, ${a}.name, ${a}.payload::text as payload`)}, ${epochMs(`${a}.sent_at`)} as sent_at`;
}

/** Decodes {@link eventColumns}. */
export function toEventRecord(row: Row): EventRecord {
  return {
    runId: textOf(row, "run_id"),
    name: textOf(row, "name"),
    payload: jsonOf(row, "payload") ?? null,
    sentAt: dateOf(row, "sent_at"),
  };
}

/** Decodes a `pgqrs.workers` row selected with epoch-ms times. */
export function toWorkerRecord(row: Row): WorkerRecord {
  return {
    workerId: textOf(row, "id"),
    name: textOf(row, "name"),
    workflow: textOf(row, "workflow"),
    startedAt: dateOf(row, "started_at"),
    lastSeenAt: dateOf(row, "last_seen_at"),
    stoppedAt: optionalDateOf(row, "stopped_at"),
  };
}

const bigintMax = 9_223_372_036_854_775_807n;

/** The run or message id as the bigint text the database accepts, or `null` when it cannot be one. */
export function parseId(id: string): string | null {
  if (!/^[1-9][0-9]{0,18}$/.test(id)) return null;
  return BigInt(id) <= bigintMax ? id : null;
}

/** True for a canonical UUID (lease tokens, worker ids). */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `text` with each lone surrogate replaced by U+FFFD, as the driver encodes a text parameter; for text embedded in a
 * JSON parameter, where PostgreSQL would refuse the escape of a lone surrogate.
 */
export function wellFormed(text: string): string {
  return text.replace(loneSurrogate, "\ufffd");
}
