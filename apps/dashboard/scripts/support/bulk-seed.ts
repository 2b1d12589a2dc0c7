/**
 * Seeds many runs at once with INSERT … SELECT against pgqrs's tables (schema.ts of @pgqrs/postgres-store), for the
 * load-time measurement and the screenshots: going through the store API one run at a time would take minutes.
 * Statuses by message id: 1 in 20 ERROR, 1 PAUSED, 1 RUNNING, 2 QUEUED, the rest SUCCESS; final runs have three
 * steps.
 */
import pg from "pg";

/** Options of {@link bulkSeed}. */
export interface BulkSeedOptions {
  /** How many runs. */
  count: number;
  /** Creation times are spread evenly over this span, ending now. */
  spanMs: number;
  workflows: readonly string[];
}

/** Inserts the workflows, messages, runs and steps in one transaction. */
export async function bulkSeed(url: string, options: BulkSeedOptions): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("begin");
    await client.query("insert into pgqrs.workflows (name) select unnest($1::text[]) on conflict do nothing", [options.workflows]);
    await client.query(
      `with seeded as (
         select g, $1::text[] as names,
                now() - ($3::double precision * (1 - g::double precision / $2)) * interval '1 millisecond' as created
         from generate_series(1, $2::int) g
       ), messages as (
         insert into pgqrs.messages (workflow, created_at, visible_at)
         select names[1 + g % array_length(names, 1)], created, created from seeded order by g
         returning id, workflow, created_at
       ), shaped as (
         select m.*,
                case when m.id % 20 = 0 then 'ERROR' when m.id % 20 = 1 then 'PAUSED' when m.id % 20 = 2 then 'RUNNING'
                     when m.id % 20 in (3, 4) then 'QUEUED' else 'SUCCESS' end as status,
                ((m.id * 7919) % 9000 + 300) * interval '1 millisecond' as took
         from messages m
       )
       insert into pgqrs.runs (message_id, workflow, status, input, output, error, attempt, created_at, started_at,
                               finished_at, visible_at, lease_token, pause_reason)
       select id, workflow, status,
              json_build_object('bucket', 'bucket-' || (id % 50), 'prefix', 'exports/' || id || '/'),
              case when status = 'SUCCESS' then json_build_object('archivePath', '/archives/' || id || '.zip', 'fileCount', id % 40) end,
              case when status = 'ERROR' then json_build_object('name', 'PermanentError', 'message', 'bucket not found',
                     'attempt', 1, 'stepId', 'download_files',
                     'causes', json_build_array(json_build_object('name', 'S3Error', 'message', 'NoSuchBucket'))) end,
              case when status = 'QUEUED' then 0 else 1 end,
              created_at,
              case when status = 'QUEUED' then null else created_at + interval '50 milliseconds' end,
              case when status in ('SUCCESS', 'ERROR') then created_at + took end,
              case when status = 'QUEUED' then created_at when status = 'PAUSED' then now() + interval '1 hour'
                   when status = 'RUNNING' then now() + interval '30 seconds' end,
              case when status = 'RUNNING' then gen_random_uuid() end,
              case when status = 'PAUSED' then 'waiting for approval' end
       from shaped`,
      [options.workflows, options.count, options.spanMs],
    );
    await client.query(
      `insert into pgqrs.steps (run_id, step_id, output, completed_at)
       select r.id, s.step_id, json_build_object('items', r.id % 40), r.started_at + (r.finished_at - r.started_at) * s.share
       from pgqrs.runs r
       cross join (values ('list_files', 0.2), ('download_files', 0.7), ('create_archive', 0.95)) as s(step_id, share)
       where r.status in ('SUCCESS', 'ERROR') and (r.status = 'SUCCESS' or s.step_id = 'list_files')
         and not exists (select 1 from pgqrs.steps done where done.run_id = r.id)
       order by r.id, s.share`,
    );
    await client.query(
      `update pgqrs.messages m set archived_at = r.finished_at from pgqrs.runs r
       where r.message_id = m.id and r.finished_at is not null and m.archived_at is null`,
    );
    await client.query("commit");
    await client.query("analyze pgqrs.runs; analyze pgqrs.steps; analyze pgqrs.messages");
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
