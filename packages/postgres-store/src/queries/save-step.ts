import { LeaseLostError } from "@pgqrs/core";
import type { JsonValue } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import { boolOf, isUuid, jsonParam, optionalTextOf, parseId } from "../rows";
import { runs, steps } from "../schema";
import { defineStatement, execute } from "../statement";
import type { Executor, Row } from "../statement";

const p = sql.placeholder;

/*
 * A lone step write (several that arrive together share one statement instead, see write-runs).
 *
 * Locking: `lease` reads the run row by primary key FOR SHARE, and only while the token is current and the run is
 * RUNNING. FOR SHARE conflicts with the FOR NO KEY UPDATE of a claim or of a finishing write, so the lease cannot
 * change hands between this check and the insert: a concurrent claim skips the row (SKIP LOCKED) until this commits,
 * and a claim that got there first makes this statement wait and then re-check the token against the new row (it
 * fails: nothing is written). One row, so it cannot wait in a cycle with a multi-row lock.
 *
 * The insert is ON CONFLICT DO NOTHING on (run_id, step_id): the first stored output wins. The same round trip says
 * which case happened: `held` false is a lost lease, `created` false with `held` true is an output already stored
 * (returned in `stored`). `cancel_requested` is read from the locked lease row: a row lock returns the newest
 * committed version, so a cancelRun that committed before the lock was taken is seen, and one that comes later
 * waits for this statement (its UPDATE conflicts with FOR SHARE) and is seen by the next step write or heartbeat.
 */
const save = defineStatement(
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
  select exists (select 1 from lease) as held, exists (select 1 from inserted) as created,
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

/** Arguments of {@link saveStep}, as in `WorkflowStore.saveStep`. */
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

/** The `stored` column of a step write: the output found already stored, if any. */
function storedOutput(row: Row | undefined): { found: boolean; output: JsonValue | undefined } {
  const text = row ? optionalTextOf(row, "stored") : null;
  if (text === null) return { found: false, output: undefined };
  const stored = JSON.parse(text) as { output: JsonValue; void: boolean };
  return { found: true, output: stored.void ? undefined : stored.output };
}

/** Reads a step's stored output again, after a write that lost the race for it to one committed after its snapshot. */
async function readStoredStep(executor: Executor, args: SaveStepArgs): Promise<{ output: JsonValue | undefined }> {
  return storedOutput((await execute(executor, readStep, { runId: parseId(args.runId), stepId: args.stepId }))[0]);
}

/**
 * Stores a step's output under the lease in one statement; the first output wins. Returns what `saveStep` returns,
 * or the `LeaseLostError` when the token is not current or the run is not RUNNING.
 */
export async function saveStep(executor: Executor, args: SaveStepArgs): Promise<SavedStep | LeaseLostError> {
  const runId = parseId(args.runId);
  if (runId === null || !isUuid(args.leaseToken)) return new LeaseLostError({ runId: args.runId });
  const row = (
    await execute(executor, save, { runId, leaseToken: args.leaseToken, stepId: args.stepId, output: jsonParam(args.output) })
  )[0];
  return savedStepFrom(executor, args, row);
}

/**
 * What a step write's answer row (`held`, `created`, `cancel_requested`, `stored`; this statement's or a batch's)
 * means for `args`: the `LeaseLostError` when the lease was not held, else `saveStep`'s answer, reading the stored
 * output again when a write that committed after this statement's snapshot won the race.
 */
export async function savedStepFrom(executor: Executor, args: SaveStepArgs, row: Row | undefined): Promise<SavedStep | LeaseLostError> {
  if (!row || !boolOf(row, "held")) return new LeaseLostError({ runId: args.runId });
  const cancelRequested = boolOf(row, "cancel_requested");
  if (boolOf(row, "created")) return { output: args.output, created: true, cancelRequested };
  const stored = storedOutput(row);
  return { output: (stored.found ? stored : await readStoredStep(executor, args)).output, created: false, cancelRequested };
}
