/** Triggers runs through the public client, as a trigger service would. */
import { workflow } from "@pgqrs/client";
import type { WorkflowStore } from "@pgqrs/core";
import { chaosWorkflow, chaosWorkflowName, type ChaosParams } from "./chaos-workflow";
import { mapConcurrent, sleep } from "./sleep";

/** Triggers one run per params entry, `concurrency` at a time; resolves with the run ids in order. */
export async function triggerRuns(store: WorkflowStore, params: readonly ChaosParams[], concurrency = 16): Promise<string[]> {
  const client = workflow(chaosWorkflow());
  return await mapConcurrent(params, concurrency, async (item) => (await client.trigger(item).execute(store)).runId);
}

/** `count` params of the normal mode, indexed from `from`. */
export function normalParams(count: number, from = 0): ChaosParams[] {
  return Array.from({ length: count }, (_, index) => ({ index: from + index, mode: "normal" }));
}

/**
 * Triggers `total` normal runs while keeping at most `backlog` runs waiting to be claimed (QUEUED and visible),
 * so the queue stays short and recovery times measure recovery, not a long queue. With `spreadOverMs` the triggers
 * are also paced evenly over at least that long, so a fault schedule gets the same stretch of traffic however fast
 * the workers are. Run ids are appended to `runIds` as they are created; resolves once all are triggered (or
 * `signal` aborts).
 */
export async function triggerSteadily(
  store: WorkflowStore,
  options: { total: number; backlog: number; signal: AbortSignal; runIds: string[]; spreadOverMs?: number },
): Promise<void> {
  const { runIds } = options;
  const startedAt = performance.now();
  const allowed = (): number =>
    options.spreadOverMs === undefined
      ? options.total
      : Math.min(options.total, Math.ceil((options.total * (performance.now() - startedAt)) / options.spreadOverMs));
  while (runIds.length < options.total && !options.signal.aborted) {
    const counts = await store.countRuns({ workflow: chaosWorkflowName });
    const room = Math.min(options.backlog - counts.visibleQueued, allowed() - runIds.length);
    if (room > 0) runIds.push(...(await triggerRuns(store, normalParams(room, runIds.length))));
    else await sleep(100, options.signal);
  }
}
