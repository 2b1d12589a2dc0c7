import { sql } from "drizzle-orm";
import type { Executor } from "../statement";
import { fencedUpdate, runFenced } from "./finish";

const p = sql.placeholder;

/*
 * Locking: one UPDATE of the run row fenced by its lease token and RUNNING status, as complete-run. No failure is
 * counted. The run stays in the claim index with visible_at at the pause's end, so the next claim after that time
 * (or after resumeRun moves visible_at to now) delivers it again. A pause that is already over announces `enqueued`.
 */
const pause = fencedUpdate(
  "pause_run",
  sql`status = 'PAUSED', pause_reason = ${p("reason")}::text,
    visible_at = coalesce(${p("until")}::timestamptz, now() + ${p("delayMs")}::float8 * interval '1 millisecond')`,
  { archive: false, announceVisible: true },
);

/** Arguments of {@link pauseRun}, as in `WorkflowStore.pauseRun`. */
export interface PauseRunArgs {
  runId: string;
  leaseToken: string;
  delayMs?: number;
  until?: Date;
  reason?: string;
}

/**
 * Makes the run PAUSED until `until` (or now + `delayMs`), fenced.
 * @throws LeaseLostError when the lease is no longer current.
 */
export async function pauseRun(executor: Executor, args: PauseRunArgs): Promise<void> {
  await runFenced(executor, pause, {
    runId: args.runId,
    leaseToken: args.leaseToken,
    reason: args.reason ?? null,
    until: args.until ? args.until.toISOString() : null,
    delayMs: Math.max(0, args.delayMs ?? 0),
  });
}
