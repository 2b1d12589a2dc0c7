/**
 * Follows a run from the trigger side by polling `run().get()`, printing each change of status or attempt and
 * each newly completed step, and lets a story wait for a state it expects.
 */
import { run, type RunInfo, type RunRef, type WorkflowStore } from "@pgqrs/client";
import { setTimeout as delay } from "node:timers/promises";

/** A watch on one run. */
export interface RunWatch<TOutput> {
  /**
   * Resolves with the first snapshot that satisfies `predicate` (checked on every poll).
   * @throws Error naming `what` when `timeoutMs` passes first
   */
  until(what: string, predicate: (info: RunInfo<TOutput>) => boolean, timeoutMs?: number): Promise<RunInfo<TOutput>>;
  /** The latest snapshot. */
  latest(): RunInfo<TOutput> | undefined;
  /** Every status seen so far, in order, without repeats in a row (`QUEUED`, `RUNNING`, `SUCCESS`). */
  statuses(): string[];
  /** Stops polling. */
  stop(): Promise<void>;
}

/** Options of {@link watchRun}. */
export interface WatchRunOptions<TOutput> {
  store: WorkflowStore;
  ref: RunRef<TOutput>;
  print: (line: string) => void;
  /** @default 10 */
  intervalMs?: number;
}

function describeStatus(info: RunInfo): string {
  const parts = [`status ${info.status}`, `attempt ${info.attempt}`];
  if (info.status === "PAUSED" && info.pauseReason !== undefined) parts.push(`reason "${info.pauseReason}"`);
  if ((info.status === "QUEUED" || info.status === "ERROR") && info.error !== undefined) {
    parts.push(`last error ${info.error.name}${info.error.stepId === undefined ? "" : ` in ${info.error.stepId}`}`);
  }
  return parts.join(", ");
}

/** Starts polling the run. Call `stop()` when done. */
export function watchRun<TOutput>(options: WatchRunOptions<TOutput>): RunWatch<TOutput> {
  const handle = run().status(options.ref).store(options.store);
  const intervalMs = options.intervalMs ?? 10;
  let latest: RunInfo<TOutput> | undefined;
  let lastStatus = "";
  const statuses: string[] = [];
  const seenSteps = new Set<string>();
  let stopped = false;
  let failure: unknown;

  const loop = (async () => {
    while (!stopped) {
      try {
        const info = await handle.get();
        const status = describeStatus(info);
        if (status !== lastStatus) {
          options.print(status);
          lastStatus = status;
        }
        for (const step of info.steps) {
          if (seenSteps.has(step.id)) continue;
          seenSteps.add(step.id);
          options.print(`step ${step.id} stored at ${step.completedAt}`);
        }
        if (statuses.at(-1) !== info.status) statuses.push(info.status);
        latest = info;
      } catch (error) {
        failure = error;
        return;
      }
      await delay(intervalMs);
    }
  })();

  return {
    async until(what, predicate, timeoutMs = 20_000) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        if (failure !== undefined) throw failure;
        if (latest !== undefined && predicate(latest)) return latest;
        if (stopped || performance.now() > deadline) throw new Error(`gave up waiting for the run to be ${what}`);
        await delay(5);
      }
    },
    latest: () => latest,
    statuses: () => [...statuses],
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
