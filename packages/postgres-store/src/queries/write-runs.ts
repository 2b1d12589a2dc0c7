import { LeaseLostError } from "@pgqrs/core";
import type { StoreEvent } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import { intOf, isUuid, jsonParam, parseId, wellFormed } from "../rows";
import { messages, runs, steps } from "../schema";
import { defineStatement, execute } from "../statement";
import type { Executor } from "../statement";
import { completeRun } from "./complete-run";
import type { CompleteRunArgs } from "./complete-run";
import { runsLockedInIdOrder } from "./run-locks";
import { saveStep, savedStepFrom } from "./save-step";
import type { SaveStepArgs, SavedStep } from "./save-step";

const p = sql.placeholder;

/*
 * One statement for the hot writes of several runs (the store batches those that arrive together, see batcher):
 * step outputs to store and runs to end SUCCESS, each fenced by its own lease. An item whose lease is lost writes
 * nothing and fails alone. A lone write uses its single-row statement instead (save-step, complete-run).
 *
 * Locking: `locked` takes every listed run's row FOR NO KEY UPDATE in id order (see run-locks), once for both kinds,
 * so this statement never waits in a cycle with another batch or a heartbeat. The lock conflicts with a claim's, so a
 * lease cannot change hands between the check and the write: a concurrent claim skips the row (SKIP LOCKED) until
 * this commits, and a claim that got there first makes this statement wait and then read the newest row version,
 * whose token no longer matches: nothing is written for it, and a zombie's late write changes nothing. Token and
 * status are compared on the row versions the lock returned (`held`, `done`).
 *
 * Steps: the insert is ON CONFLICT DO NOTHING on (run_id, step_id), the first stored output wins; `held` false is a
 * lost lease, `created` false with `held` true an output already stored (returned in `stored`). `cancel_requested`
 * is read from the locked row, the newest committed version: a cancelRun that committed first is seen, one that
 * comes later waits for this statement and is seen by the next step write or heartbeat.
 * Completions: the run ends SUCCESS and its message is archived in the same statement, so both commit together;
 * `run-changed` is published after the commit (see notifier). A pending cancel request does not change the outcome:
 * the handler finished, the work was done.
 * Outputs travel as JSON arrays beside the items (`json_array_elements` keeps each element's text as written, escapes
 * included, where `json_to_recordset` would decode a `\u0000` and fail); `void` marks undefined, stored as SQL NULL,
 * apart from the JSON literal null.
 */
const write = defineStatement(
  "write_runs",
  sql`with step_input as (
    select i.n, i.run_id, i.lease_token, i.step_id, case when i.void then null else o.output end as output
    from json_to_recordset(${p("steps")}::json) as i(n int, run_id bigint, lease_token uuid, step_id text, void boolean)
    join json_array_elements(${p("stepOutputs")}::json) with ordinality as o(output, k) on o.k = i.n + 1
  ), done_input as (
    select i.n, i.run_id, i.lease_token, case when i.void then null else o.output end as output
    from json_to_recordset(${p("completions")}::json) as i(n int, run_id bigint, lease_token uuid, void boolean)
    join json_array_elements(${p("completionOutputs")}::json) with ordinality as o(output, k) on o.k = i.n + 1
  ), locked as (
    ${runsLockedInIdOrder(sql`select run_id from step_input union all select run_id from done_input`, "no key update")}
  ), held as (
    select i.*, l.cancel_requested from step_input i
    join locked l on l.id = i.run_id and l.lease_token = i.lease_token and l.status = 'RUNNING'
  ), inserted as (
    insert into ${steps} (run_id, step_id, output)
    select run_id, step_id, output from held
    on conflict (run_id, step_id) do nothing
    returning run_id, step_id
  ), done as (
    update ${runs} r set status = 'SUCCESS',
      output = i.output,
      finished_at = now(), visible_at = null, pause_reason = null, lease_token = null, worker_id = null
    from done_input i, locked l
    where l.id = i.run_id and l.lease_token = i.lease_token and l.status = 'RUNNING'
      and r.id = l.id and r.lease_token = i.lease_token
    returning i.n, r.message_id
  ), archived as (
    update ${messages} m set archived_at = now() from done where m.id = done.message_id
  )
  select i.n, h.n is not null as held, x.run_id is not null as created,
    coalesce(h.cancel_requested, false) as cancel_requested,
    case when h.n is not null and x.run_id is null then
      (select json_build_object('output', s.output, 'void', s.output is null)::text from ${steps} s
        where s.run_id = i.run_id and s.step_id = i.step_id)
    end as stored
  from step_input i
  left join held h on h.n = i.n
  left join inserted x on x.run_id = i.run_id and x.step_id = i.step_id
  union all
  select d.n, true, true, false, null from done d`,
);

/** One hot write of a run: a step output to store, or the run to complete. */
export type RunWrite = { step: SaveStepArgs } | { complete: CompleteRunArgs };

/** What a {@link RunWrite} yields: `saveStep`'s answer, the events a completion publishes, or a lost lease. */
export type RunWriteResult = SavedStep | StoreEvent[] | LeaseLostError;

/** The arguments of a write, whichever its kind. */
function argsOf(item: RunWrite): SaveStepArgs | CompleteRunArgs {
  return "step" in item ? item.step : item.complete;
}

/**
 * The statement's parameters: a row per item of each kind whose run id and token can be current (`n` its index in
 * `items` and in the outputs), or `null` when none can.
 */
function values(items: readonly RunWrite[]): Record<string, string> | null {
  const stepRows: string[] = [];
  const doneRows: string[] = [];
  const stepOutputs: string[] = [];
  const completionOutputs: string[] = [];
  items.forEach((item, n) => {
    const args = argsOf(item);
    const output = jsonParam(args.output);
    // Both output arrays are indexed by `n`; the other kind's slot holds a placeholder null.
    stepOutputs.push("step" in item ? (output ?? "null") : "null");
    completionOutputs.push("step" in item ? "null" : (output ?? "null"));
    // A malformed id or token cannot be current: the item gets no row, so it ends as a lost lease.
    if (parseId(args.runId) === null || !isUuid(args.leaseToken)) return;
    const common = `"n":${n},"run_id":"${args.runId}","lease_token":"${args.leaseToken}","void":${output === null}`;
    if ("step" in item) stepRows.push(`{${common},"step_id":${JSON.stringify(wellFormed(item.step.stepId))}}`);
    else doneRows.push(`{${common}}`);
  });
  if (stepRows.length + doneRows.length === 0) return null;
  return {
    steps: `[${stepRows.join(",")}]`,
    stepOutputs: `[${stepOutputs.join(",")}]`,
    completions: `[${doneRows.join(",")}]`,
    completionOutputs: `[${completionOutputs.join(",")}]`,
  };
}

/**
 * Writes several runs' step outputs and completions in one statement and returns one result per item, in order.
 * Items must name distinct (run, step) pairs and complete no run twice. A single item goes through its own
 * single-row statement.
 */
export async function writeRuns(executor: Executor, items: readonly RunWrite[]): Promise<RunWriteResult[]> {
  const only = items.length === 1 ? items[0] : undefined;
  if (only !== undefined) return ["step" in only ? await saveStep(executor, only.step) : await completeRun(executor, only.complete)];
  const results: (RunWriteResult | undefined)[] = items.map(() => undefined);
  const parameters = values(items);
  for (const row of parameters === null ? [] : await execute(executor, write, parameters)) {
    // `n` is unique across both kinds: the item says which kind the row answers.
    const n = intOf(row, "n");
    const item = items[n] as RunWrite;
    results[n] =
      "step" in item ? await savedStepFrom(executor, item.step, row) : [{ type: "run-changed", runId: item.complete.runId, status: "SUCCESS" }];
  }
  return results.map((result, n) => result ?? new LeaseLostError({ runId: argsOf(items[n] as RunWrite).runId }));
}
