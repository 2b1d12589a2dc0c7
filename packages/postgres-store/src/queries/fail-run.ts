import type { StoreEvent, StoredError } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import type { Executor } from "../statement";
import { fencedUpdate, runFenced } from "./finish";

/*
 * Locking: as every fencedUpdate (see finish) — one UPDATE of the run row fenced by its lease token and RUNNING status (a claim that
 * holds the row makes it wait and then fail the fence); the message archive commits with it,
 * and `run-changed` is published after the commit.
 */
const fail = fencedUpdate(
  "fail_run",
  {
    status: sql`'ERROR'`,
    error: sql`${sql.placeholder("error")}::json`,
    finished_at: sql`now()`,
    visible_at: sql`null`,
    pause_reason: sql`null`,
  },
  { announceVisible: false, cancelInstead: false },
);

/** Arguments of {@link failRun}, as in `WorkflowStore.failRun`. */
export interface FailRunArgs {
  runId: string;
  leaseToken: string;
  error: StoredError;
}

/**
 * Ends the run ERROR with its error and archives its message, in one fenced statement.
 * Returns the events to publish once it has committed.
 * @throws LeaseLostError when the lease is no longer current.
 */
export async function failRun(executor: Executor, args: FailRunArgs): Promise<StoreEvent[]> {
  return runFenced(executor, fail, { runId: args.runId, leaseToken: args.leaseToken, error: JSON.stringify(args.error) });
}
