import { LeaseLostError } from "@pgqrs/core";
import type { JsonValue, StoreEvent } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import { intOf, isUuid, jsonParam, parseId } from "../rows";
import { messages, runs } from "../schema";
import { defineStatement, execute } from "../statement";
import { runsLockedInIdOrder } from "./run-locks";
import type { Executor } from "../statement";
import { fencedUpdate, runFenced } from "./finish";

const p = sql.placeholder;

/*
 * One statement ends several runs SUCCESS (the store batches concurrent completions, see batcher), each fenced by its
 * own lease: `lease_token = token and status = 'RUNNING'`. A run whose lease is lost is left alone and fails alone.
 * A lone completion uses `complete_run` below.
 *
 * Locking: `locked` takes the listed runs' rows FOR NO KEY UPDATE in id order (see run-locks). If a claimer took a
 * row after the lease expired, the lock waits for it and reads the committed row, whose token no longer matches, so
 * a zombie's late completion changes nothing (LeaseLostError). The update then writes only rows this statement
 * holds, fenced on the row versions the lock returned. Each run's message is archived in the same statement, so
 * both commit together; `run-changed` is published after the commit (see notifier). A pending cancel request does not change the outcome: the handler
 * finished, the work was done. Outputs travel as one JSON array beside the items (see save-step).
 */
const complete = defineStatement(
  "complete_runs",
  sql`with input as (
    select i.n, i.run_id, i.lease_token, case when i.void then null else o.output end as output
    from json_to_recordset(${p("items")}::json) as i(n int, run_id bigint, lease_token uuid, void boolean)
    join json_array_elements(${p("outputs")}::json) with ordinality as o(output, k) on o.k = i.n + 1
  ), locked as (
    ${runsLockedInIdOrder(sql`select run_id from input`, "no key update")}
  ), done as (
    update ${runs} r set status = 'SUCCESS',
      output = i.output,
      finished_at = now(), visible_at = null, pause_reason = null, lease_token = null, worker_id = null
    from input i, locked l
    where l.id = i.run_id and l.lease_token = i.lease_token and l.status = 'RUNNING'
      and r.id = l.id and r.lease_token = i.lease_token
    returning i.n, r.message_id
  ), archived as (
    update ${messages} m set archived_at = now() from done where m.id = done.message_id
  )
  select done.n from done`,
);

/** The same write for one item, the common case when the store is not busy: the simpler shared fenced update. */
const completeOne = fencedUpdate(
  "complete_run",
  {
    status: sql`'SUCCESS'`,
    output: sql`${p("output")}::json`,
    finished_at: sql`now()`,
    visible_at: sql`null`,
    pause_reason: sql`null`,
  },
  { announceVisible: false, cancelInstead: false },
);

/** Arguments of {@link completeRuns}, as in `WorkflowStore.completeRun`. */
export interface CompleteRunArgs {
  runId: string;
  leaseToken: string;
  output: JsonValue | undefined;
}

/**
 * Ends several runs SUCCESS with their outputs and archives their messages, in one statement. Returns one result per
 * item, in order: the events to publish once the statement has committed, or the item's `LeaseLostError` when its
 * lease is no longer current. Items must name distinct runs.
 */
export async function completeRuns(
  executor: Executor,
  items: readonly CompleteRunArgs[],
): Promise<(StoreEvent[] | LeaseLostError)[]> {
  const only = items.length === 1 ? (items[0] as CompleteRunArgs) : undefined;
  if (only !== undefined) {
    try {
      return [await runFenced(executor, completeOne, { runId: only.runId, leaseToken: only.leaseToken, output: jsonParam(only.output) })];
    } catch (error) {
      if (LeaseLostError.isInstance(error)) return [error];
      throw error;
    }
  }
  // Filled from the rows returned; an item with no row lost its lease (the error is built only then).
  const results: (StoreEvent[] | undefined)[] = items.map(() => undefined);
  // `n` indexes the outputs too (outputs travel beside the items, as in save-step).
  const rows: string[] = [];
  const outputs: string[] = [];
  items.forEach((args, n) => {
    const output = jsonParam(args.output);
    outputs.push(output ?? "null");
    if (parseId(args.runId) === null || !isUuid(args.leaseToken)) return;
    rows.push(`{"n":${n},"run_id":"${args.runId}","lease_token":"${args.leaseToken}","void":${output === null}}`);
  });
  const settled = () => results.map((result, n) => result ?? new LeaseLostError({ runId: (items[n] as CompleteRunArgs).runId }));
  if (rows.length === 0) return settled();
  for (const row of await execute(executor, complete, { items: `[${rows.join(",")}]`, outputs: `[${outputs.join(",")}]` })) {
    const n = intOf(row, "n");
    results[n] = [{ type: "run-changed", runId: (items[n] as CompleteRunArgs).runId, status: "SUCCESS" }];
  }
  return settled();
}
