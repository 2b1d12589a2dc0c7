import type { StoreEvent } from "@pgqrs/core/storage";
import { sql } from "drizzle-orm";
import type { Executor } from "../statement";
import { fencedUpdate, runFenced } from "./finish";

/*
 * Locking: one UPDATE of the run row fenced by its lease token and RUNNING status, as every fencedUpdate (see finish). The run is
 * QUEUED and visible at once, no failure counted; `enqueued` is published once it has committed, so an idle
 * worker takes it straight away. A run whose cancel was requested ends CANCELLED instead (decided on the locked row version).
 */
const release = fencedUpdate(
  "release_run",
  { status: sql`'QUEUED'`, visible_at: sql`now()` },
  { announceVisible: true, cancelInstead: true },
);

/** Arguments of {@link releaseRun}, as in `WorkflowStore.releaseRun`. */
export interface ReleaseRunArgs {
  runId: string;
  leaseToken: string;
}

/**
 * Hands a RUNNING run back (graceful shutdown): QUEUED, visible now, fenced; CANCELLED if a cancel was requested.
 * Returns the events to publish once it has committed.
 * @throws LeaseLostError when the lease is no longer current.
 */
export async function releaseRun(executor: Executor, args: ReleaseRunArgs): Promise<StoreEvent[]> {
  return runFenced(executor, release, { runId: args.runId, leaseToken: args.leaseToken });
}
