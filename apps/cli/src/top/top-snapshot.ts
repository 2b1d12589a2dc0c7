import type { RunCounts, WorkflowStore } from "@pgqrs/core/storage";
import { liveWorkers } from "../live-workers";

/** Everything one frame of `pgqrs top` shows, read from the store. */
export interface TopSnapshot {
  /** When it was read (local clock; rates are measured between snapshots). */
  takenAt: number;
  totals: RunCounts;
  workflows: { name: string; counts: RunCounts }[];
  liveWorkers: number;
}

/** Reads one snapshot: counts overall and per workflow, and the workers seen in the last minute. */
export async function takeSnapshot(store: WorkflowStore, now: () => number = Date.now): Promise<TopSnapshot> {
  const names = (await store.listWorkflows()).map((workflow) => workflow.name);
  const [totals, perWorkflow, workers] = await Promise.all([
    store.countRuns({}),
    Promise.all(names.map((name) => store.countRuns({ workflow: name }))),
    store.listWorkers({ limit: 1000 }),
  ]);
  const takenAt = now();
  return {
    takenAt,
    totals,
    workflows: names.map((name, index) => ({ name, counts: perWorkflow[index] ?? totals })),
    liveWorkers: liveWorkers(workers, takenAt).length,
  };
}
