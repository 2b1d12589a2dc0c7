import type { JobKind } from "./types";

/**
 * Bulk SQL against pgqrs's schema (`packages/postgres-store/src/schema.ts`, migration `0000_init.sql`): the rows
 * `store.enqueue` would write, a message and its QUEUED run per job, inserted with `generate_series` in one
 * statement. Used to pre-enqueue drains and to seed the growth scenario; the worker sees no difference.
 */

/** `count` visible QUEUED runs of `workflow` with params `{ i }`. Parameters: $1 workflow, $2 count. */
export const enqueueQueuedSql = `with msg as (
  insert into pgqrs.messages (workflow, created_at, visible_at)
  select $1::text, now(), now() from generate_series(1, $2::int)
  returning id, workflow, created_at, visible_at
)
insert into pgqrs.runs (message_id, workflow, input, visible_at, created_at)
select id, workflow, json_build_object('i', id), visible_at, created_at from msg order by id`;

/**
 * `count` finished runs: SUCCESS with one completed step each, messages archived, out of the claim index — the
 * history a long-lived queue accumulates. Parameters: $1 workflow, $2 count.
 */
export const seedArchivedSql = `with msg as (
    insert into pgqrs.messages (workflow, created_at, visible_at, archived_at)
    select $1::text, now() - interval '1 day', now() - interval '1 day', now() - interval '1 day'
    from generate_series(1, $2::int)
    returning id, workflow, created_at
  ), run as (
    insert into pgqrs.runs (message_id, workflow, status, input, output, attempt, visible_at, created_at,
      started_at, finished_at)
    select id, workflow, 'SUCCESS', json_build_object('i', id), 'null'::json, 1, null, created_at, created_at,
      created_at
    from msg order by id
    returning id, created_at
  )
  insert into pgqrs.steps (run_id, step_id, output, completed_at)
  select id, 'a', null, created_at from run`;

/** `count` QUEUED runs due in 30 days (delayed triggers): in the claim index, after every visible run. */
export const seedDelayedSql = `with msg as (
  insert into pgqrs.messages (workflow, created_at, visible_at)
  select $1::text, now(), now() + interval '30 days' from generate_series(1, $2::int)
  returning id, workflow, created_at, visible_at
)
insert into pgqrs.runs (message_id, workflow, input, visible_at, created_at)
select id, workflow, json_build_object('i', id), visible_at, created_at from msg order by id`;

/** Every workflow the bench uses, created as `store.createWorkflow` would. */
export function createWorkflowsSql(kinds: readonly JobKind[]): string {
  const values = kinds.map((kind) => `('${kind}')`).join(", ");
  return `insert into pgqrs.workflows (name) values ${values} on conflict (name) do nothing`;
}
