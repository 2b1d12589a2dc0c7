import { LeaseLostError } from "@pgqrs/core";
import type { JsonValue } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import { boolOf, intOf, isUuid, jsonParam, optionalTextOf, parseId, wellFormed } from "../rows";
import { runs, steps } from "../schema";
import { defineStatement, execute } from "../statement";
import { runsLockedInIdOrder } from "./run-locks";
import type { Executor, Row } from "../statement";

const p = sql.placeholder;

/*
 * One statement writes the steps of several runs (the store batches concurrent step writes, see batcher), each under
 * its own lease; items whose lease is lost write nothing and fail alone. A lone write uses `save_step` below.
 *
 * Locking: `lease` locks the listed runs' rows FOR SHARE in id order (run-locks: why the order, and why by primary
 * key alone). FOR SHARE conflicts with the FOR NO KEY UPDATE of a claim or of a finishing write, so a lease cannot
 * change hands between the check and the insert: a concurrent claim skips the row (SKIP LOCKED) until this commits,
 * and a claim that got there first makes this statement wait and then read the newest row version, whose token no
 * longer matches: nothing is written for it. Token and status are compared after the lock (`held`).
 *
 * The insert is ON CONFLICT DO NOTHING on (run_id, step_id): the first stored output wins. The same round trip says
 * which case happened: `held` false is a lost lease, `created` false with `held` true is an output already stored
 * (returned in `stored`). `cancel_requested` is read from the locked lease row: a row lock returns the newest
 * committed version, so a cancelRun that committed before the lock was taken is seen, and one that comes later
 * waits for this statement (its UPDATE conflicts with FOR SHARE) and is seen by the next step write or heartbeat.
 * The outputs travel as one JSON array beside the items (`json_array_elements` keeps each element's text as written,
 * escapes included, where `json_to_recordset` would decode a `\u0000` and fail); `void` marks undefined, stored as
 * SQL NULL, apart from the JSON literal null.
 */
const save = defineStatement(
  "save_steps",
  sql`with input as (
    select i.n, i.run_id, i.lease_token, i.step_id, case when i.void then null else o.output end as output
    from json_to_recordset(${p("items")}::json) as i(n int, run_id bigint, lease_token uuid, step_id text, void boolean)
    join json_array_elements(${p("outputs")}::json) with ordinality as o(output, k) on o.k = i.n + 1
  ), lease as (
    ${runsLockedInIdOrder(sql`select run_id from input`, "share")}
  ), held as (
    select i.*, l.cancel_requested from input i
    join lease l on l.id = i.run_id and l.lease_token = i.lease_token and l.status = 'RUNNING'
  ), inserted as (
    insert into ${steps} (run_id, step_id, output)
    select run_id, step_id, output from held
    on conflict (run_id, step_id) do nothing
    returning run_id, step_id
  )
  select i.n, h.n is not null as held, x.run_id is not null as created,
    coalesce(h.cancel_requested, false) as cancel_requested,
    case when h.n is not null and x.run_id is null then
      (select json_build_object('output', s.output, 'void', s.output is null)::text from ${steps} s
        where s.run_id = i.run_id and s.step_id = i.step_id)
    end as stored
  from input i
  left join held h on h.n = i.n
  left join inserted x on x.run_id = i.run_id and x.step_id = i.step_id`,
);

/*
 * The same write for one item, the common case when the store is not busy: a simpler statement (a primary-key probe,
 * no JSON recordsets), about a sixth cheaper a call. Locking as above, with a single row.
 */
const saveOne = defineStatement(
  "save_step",
  sql`with lease as (
    select id, cancel_requested_at is not null as cancel_requested from ${runs}
    where id = ${p("runId")}::bigint and lease_token = ${p("leaseToken")}::uuid and status = 'RUNNING'
    for share
  ), inserted as (
    insert into ${steps} (run_id, step_id, output)
    select id, ${p("stepId")}::text, ${p("output")}::json from lease
    on conflict (run_id, step_id) do nothing
    returning 1
  )
  select 0 as n, exists (select 1 from lease) as held, exists (select 1 from inserted) as created,
    coalesce((select cancel_requested from lease), false) as cancel_requested,
    case when not exists (select 1 from inserted) then
      (select json_build_object('output', s.output, 'void', s.output is null)::text from ${steps} s
        where s.run_id = ${p("runId")}::bigint and s.step_id = ${p("stepId")}::text)
    end as stored`,
);

// Only after a lost race for the same step (two writes under one lease): the winner committed after our snapshot.
const readStep = defineStatement(
  "save_step_existing",
  sql`select json_build_object('output', output, 'void', output is null)::text as stored from ${steps}
  where run_id = ${p("runId")}::bigint and step_id = ${p("stepId")}::text`,
);

function storedOutput(row: Row | undefined): { found: boolean; output: JsonValue | undefined } {
  const text = row ? optionalTextOf(row, "stored") : null;
  if (text === null) return { found: false, output: undefined };
  const stored = JSON.parse(text) as { output: JsonValue; void: boolean };
  return { found: true, output: stored.void ? undefined : stored.output };
}

/** Arguments of {@link saveSteps}, as in `WorkflowStore.saveStep`. */
export interface SaveStepArgs {
  runId: string;
  leaseToken: string;
  stepId: string;
  output: JsonValue | undefined;
}

/** What `WorkflowStore.saveStep` returns. */
export interface SavedStep {
  output: JsonValue | undefined;
  created: boolean;
  cancelRequested: boolean;
}

/** The parameters of the batch statement: a row per sendable item (`n` is its index, into the outputs too). */
function batchValues(
  items: readonly SaveStepArgs[],
  texts: readonly (string | null)[],
  refused: readonly unknown[],
): { items: string; outputs: string } {
  const rows: string[] = [];
  items.forEach((args, n) => {
    if (refused[n] !== undefined) return;
    const stepId = JSON.stringify(wellFormed(args.stepId));
    rows.push(`{"n":${n},"run_id":"${args.runId}","lease_token":"${args.leaseToken}","step_id":${stepId},"void":${texts[n] === null}}`);
  });
  return { items: `[${rows.join(",")}]`, outputs: `[${texts.map((text) => text ?? "null").join(",")}]` };
}

/**
 * Stores the outputs of several steps, each under its own run's lease, in one statement; the first output of a step
 * wins. Returns one result per item, in order: what `saveStep` returns, or the item's `LeaseLostError` when its token
 * is not current or its run is not RUNNING. Items must name distinct (run, step) pairs.
 */
export async function saveSteps(executor: Executor, items: readonly SaveStepArgs[]): Promise<(SavedStep | LeaseLostError)[]> {
  const results: (SavedStep | LeaseLostError | undefined)[] = items.map((args) =>
    parseId(args.runId) === null || !isUuid(args.leaseToken) ? new LeaseLostError({ runId: args.runId }) : undefined,
  );
  const texts = items.map((args) => jsonParam(args.output));
  const sendable = results.filter((result) => result === undefined).length;
  if (sendable > 0) {
    const only = items.length === 1 ? (items[0] as SaveStepArgs) : undefined;
    const found =
      only === undefined
        ? await execute(executor, save, batchValues(items, texts, results))
        : await execute(executor, saveOne, { runId: only.runId, leaseToken: only.leaseToken, stepId: only.stepId, output: texts[0] });
    for (const row of found) {
      const n = intOf(row, "n");
      const args = items[n] as SaveStepArgs;
      if (!boolOf(row, "held")) {
        results[n] = new LeaseLostError({ runId: args.runId });
        continue;
      }
      const cancelRequested = boolOf(row, "cancel_requested");
      if (boolOf(row, "created")) {
        results[n] = { output: args.output, created: true, cancelRequested };
        continue;
      }
      let stored = storedOutput(row);
      if (!stored.found) {
        stored = storedOutput((await execute(executor, readStep, { runId: parseId(args.runId), stepId: args.stepId }))[0]);
      }
      results[n] = { output: stored.output, created: false, cancelRequested };
    }
  }
  return results.map((result, n) => result ?? new LeaseLostError({ runId: (items[n] as SaveStepArgs).runId }));
}
