import { LeaseLostError } from "@pgqrs/core";
import type { JsonValue, StoreEvent } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import { jsonParam } from "../rows";
import type { Executor } from "../statement";
import { fencedUpdate, runFenced } from "./finish";

/*
 * A lone completion (several that arrive together share one statement instead, see write-runs).
 *
 * Locking: a single UPDATE of the run row by primary key, fenced by `lease_token = $token and status = 'RUNNING'`.
 * If a claimer took the row after the lease expired, the update waits for it and re-checks the fence against the
 * committed row, so a zombie's late completion changes nothing (LeaseLostError). The message is archived in the same
 * statement, so both commit together; `run-changed` is published after the commit (see fencedUpdate). A pending
 * cancel request does not change the outcome: the handler finished, the work was done.
 */
const complete = fencedUpdate(
  "complete_run",
  {
    status: sql`'SUCCESS'`,
    output: sql`${sql.placeholder("output")}::json`,
    finished_at: sql`now()`,
    visible_at: sql`null`,
    pause_reason: sql`null`,
  },
  { announceVisible: false, cancelInstead: false },
);

/** Arguments of {@link completeRun}, as in `WorkflowStore.completeRun`. */
export interface CompleteRunArgs {
  runId: string;
  leaseToken: string;
  output: JsonValue | undefined;
}

/**
 * Ends the run SUCCESS with its output and archives its message, in one fenced statement. Returns the events to
 * publish once it has committed, or the `LeaseLostError` when the lease is no longer current.
 */
export async function completeRun(executor: Executor, args: CompleteRunArgs): Promise<StoreEvent[] | LeaseLostError> {
  try {
    return await runFenced(executor, complete, { runId: args.runId, leaseToken: args.leaseToken, output: jsonParam(args.output) });
  } catch (error) {
    if (LeaseLostError.isInstance(error)) return error;
    throw error;
  }
}
