/**
 * The audit trail outside pgqrs: every step function appends a row when it has done its work, so re-executions
 * (at-least-once execution) can be counted next to pgqrs's own step records (exactly-once recording).
 */
import type pg from "pg";

/** The audit table, created in each scenario database next to the `pgqrs` schema. */
export const auditSchemaSql = `
create schema if not exists chaos;
create table if not exists chaos.audit (
  id bigint generated always as identity primary key,
  run_id bigint not null,
  step_id text not null,
  pid integer not null,
  at timestamptz not null default clock_timestamp()
);
create index if not exists audit_run_step_idx on chaos.audit (run_id, step_id);
`;

/** Appends one execution of a step. */
export async function appendAudit(pool: pg.Pool, row: { runId: string; stepId: string; pid: number }): Promise<void> {
  await pool.query("insert into chaos.audit (run_id, step_id, pid) values ($1::bigint, $2, $3)", [row.runId, row.stepId, row.pid]);
}
