import type { StoreEvent } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import type { Executor } from "../statement";
import { fencedUpdate, runFenced } from "./finish";

/*
 * Locking: as every fencedUpdate (see finish) — one UPDATE of the run row fenced by its lease token and RUNNING status, so a zombie
 * worker's late acknowledgement changes nothing (LeaseLostError). The run ends CANCELLED and its message is archived in
 * the same statement; `run-changed` is published after the commit. `cancel_requested_at` and `cancel_reason` keep what cancelRun
 * recorded (a worker that stops without a recorded request stamps the time now).
 */
const acknowledge = fencedUpdate(
  "acknowledge_cancel",
  {
    status: sql`'CANCELLED'`,
    finished_at: sql`now()`,
    visible_at: sql`null`,
    pause_reason: sql`null`,
    wait_event: sql`null`,
    cancel_requested_at: sql`coalesce(r.cancel_requested_at, now())`,
  },
  { announceVisible: false, cancelInstead: false },
);

/** Arguments of {@link acknowledgeCancel}, as in `WorkflowStore.acknowledgeCancel`. */
export interface AcknowledgeCancelArgs {
  runId: string;
  leaseToken: string;
}

/**
 * Ends a RUNNING run CANCELLED (the worker's answer to a cancel request), fenced.
 * Returns the events to publish once it has committed.
 * @throws LeaseLostError when the lease is no longer current.
 */
export async function acknowledgeCancel(executor: Executor, args: AcknowledgeCancelArgs): Promise<StoreEvent[]> {
  return runFenced(executor, acknowledge, { runId: args.runId, leaseToken: args.leaseToken });
}
