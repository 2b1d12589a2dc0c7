import type { StoreEvent, StoredError } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import type { Executor } from "../statement";
import { fencedUpdate, runFenced } from "./finish";

const p = sql.placeholder;

/*
 * Locking: one UPDATE of the run row fenced by its lease token and RUNNING status, as every fencedUpdate (see finish). The failure is
 * counted in the same row update — on the step's counter when a step threw, else on run_failures — so a count can
 * never be lost between a read and a write. After the commit the store publishes `run-changed` (and `enqueued` when
 * the retry is due at once). A run whose cancel was requested ends CANCELLED instead (decided on the locked row
 * version, so a cancelRun that committed first is honoured); the error is still recorded as its last one.
 */
const retry = fencedUpdate(
  "retry_run",
  {
    status: sql`'QUEUED'`,
    error: sql`${p("error")}::json`,
    visible_at: sql`now() + ${p("delayMs")}::float8 * interval '1 millisecond'`,
    run_failures: sql`r.run_failures + case when ${p("stepId")}::text is null then 1 else 0 end`,
    step_failures: sql`case when ${p("stepId")}::text is null then r.step_failures
      else r.step_failures || jsonb_build_object(${p("stepId")}::text,
        coalesce((r.step_failures ->> ${p("stepId")}::text)::int, 0) + 1) end`,
  },
  { announceVisible: true, cancelInstead: true },
);

/** Arguments of {@link retryRun}, as in `WorkflowStore.retryRun`. */
export interface RetryRunArgs {
  runId: string;
  leaseToken: string;
  error: StoredError;
  delayMs: number;
  stepId?: string;
}

/**
 * Puts the run back to QUEUED after `delayMs` with its last error and one more failure counted, fenced.
 * Returns the events to publish once it has committed.
 * @throws LeaseLostError when the lease is no longer current.
 */
export async function retryRun(executor: Executor, args: RetryRunArgs): Promise<StoreEvent[]> {
  return runFenced(executor, retry, {
    runId: args.runId,
    leaseToken: args.leaseToken,
    error: JSON.stringify(args.error),
    delayMs: Math.max(0, args.delayMs),
    stepId: args.stepId ?? null,
  });
}
