import { WorkerStoppingError, type Logger, type WorkflowStore } from "@pgqrs/core";
import type { ClaimedRun } from "@pgqrs/core/storage";
import type { Backoff } from "./backoff";
import type { RunSlots } from "./run-slots";
import { sleep, type Wakeup } from "./wakeup";

/** What the claim loop reads and drives. */
export interface ClaimLoopContext {
  store: WorkflowStore;
  workerId: string;
  workflow: string;
  concurrency: number;
  /** Runs a claim may take beyond the free slots, when claiming ahead pays (see {@link claimAheadLimit}). */
  prefetch: number;
  leaseMs: number;
  pollIntervalMs: number;
  slots: RunSlots;
  wakeup: Wakeup;
  backoff: Backoff;
  /** Aborted when the worker stops: no claim starts after it. */
  stopSignal: AbortSignal;
  logger: Logger;
  onClaimed(count: number): void;
  onStoreResult(ok: boolean): void;
  /** Runs before each claim (re-subscribing to events after a failure, for instance). */
  beforeClaim(): void;
  /** Shared with the slots: after a claim that filled every free slot more runs may be waiting, so a freed slot wakes the loop. */
  state: { lastClaimFull: boolean };
}

/**
 * `poll`: claims until the worker stops, sleeping between claims until an `enqueued` event, a freed slot
 * (after a full claim) or the poll interval. `drain`: claims until nothing is visible and nothing is in
 * flight, claiming again whenever a run ends (it may have been handed back visible at once).
 */
export type ClaimLoopMode = "poll" | "drain";

/** One `claimRuns` call for `limit` runs; a store failure is logged and backed off, and yields `undefined`. */
async function claim(context: ClaimLoopContext, limit: number): Promise<ClaimedRun[] | undefined> {
  try {
    const claimed = await context.store.claimRuns({
      workerId: context.workerId,
      workflow: context.workflow,
      limit,
      leaseMs: context.leaseMs,
    });
    context.onStoreResult(true);
    context.backoff.reset();
    return claimed;
  } catch (error) {
    context.onStoreResult(false);
    const delayMs = context.backoff.next();
    context.logger.warn(
      { err: error, failures: context.backoff.failures, retryInMs: delayMs },
      "pgqrs worker: claiming runs failed; retrying with backoff",
    );
    await sleep(delayMs, context.stopSignal);
    return undefined;
  }
}

/**
 * Handlers shorter than this on average (and a backlog) make the worker claim ahead: the claim's round trip is then a
 * large part of each run, and runs that wait locally wait less than this for a slot.
 */
export const claimAheadMaxHandlerMs = 50;

/**
 * How many runs to claim beyond the free slots: `prefetch` while the queue has a backlog (the last claim filled what
 * it asked for) and recent handlers are short; none otherwise, so that a worker with slow handlers never sits on runs
 * another worker could start.
 */
export function claimAheadLimit(context: Pick<ClaimLoopContext, "prefetch" | "slots" | "state">): number {
  const recent = context.slots.recentHandlerMs;
  const pays = context.state.lastClaimFull && recent !== undefined && recent < claimAheadMaxHandlerMs;
  return pays ? context.prefetch : 0;
}

/**
 * The worker's only claimer: one claim at a time, each for every free slot (and, while claiming ahead pays, up to
 * `prefetch` runs more, which wait locally and start the moment a slot frees) in a single `claimRuns` call.
 * Resolves when the worker stops (or, in `drain` mode, when the queue is drained). Never rejects.
 */
export async function runClaimLoop(context: ClaimLoopContext, mode: ClaimLoopMode): Promise<void> {
  const { slots, wakeup, stopSignal } = context;
  while (!stopSignal.aborted) {
    // Slots whose handler is done count as free while their outcome is written: the claim overlaps that write.
    const room = context.concurrency + claimAheadLimit(context) - slots.busy - slots.waiting;
    let claimedCount = 0;
    if (room > 0) {
      context.beforeClaim();
      const claimed = await claim(context, room);
      if (claimed === undefined) continue;
      claimedCount = claimed.length;
      context.state.lastClaimFull = claimed.length >= room;
      if (claimed.length > 0) context.onClaimed(claimed.length);
      slots.offer(claimed);
      // Claimed just as stop() began: hand them straight back rather than start work the stop will cut.
      if (stopSignal.aborted) for (const run of claimed) slots.abort({ runId: run.runId, leaseToken: run.leaseToken }, new WorkerStoppingError());
    }
    if (mode === "drain") {
      if (slots.size === 0 && claimedCount === 0) return;
      await wakeup.wait(Infinity);
      continue;
    }
    await wakeup.wait(room - claimedCount > 0 ? context.pollIntervalMs : Infinity);
  }
}
