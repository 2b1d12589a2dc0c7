import type { RunCounts, WorkflowStore } from "@pgqrs/core/storage";
import type { ApiCounts, ApiOverview, ApiRunStatus, ApiThroughput } from "./api-types";
import { runStatuses } from "./api-types";

function toCounts(counts: RunCounts): ApiCounts {
  const byStatus = {} as Record<ApiRunStatus, number>;
  let total = 0;
  for (const status of runStatuses) {
    const value = counts.byStatus[status] ?? 0;
    byStatus[status] = value;
    total += value;
  }
  return { byStatus, total };
}

/** Options of {@link buildOverview}. */
export interface BuildOverviewOptions {
  store: WorkflowStore;
  /** The throughput chart's data (computed and cached by the caller). */
  throughput: ApiThroughput;
  now: number;
}

/**
 * Counts per workflow and status (one `countRuns` per workflow, run side by side; the pool bounds how many are in
 * flight), the totals, the queue depth and the throughput chart.
 */
export async function buildOverview(options: BuildOverviewOptions): Promise<ApiOverview> {
  const { store } = options;
  const [workflows, totals] = await Promise.all([store.listWorkflows(), store.countRuns({})]);
  const perWorkflow = await Promise.all(
    workflows.map(async (workflow) => ({
      name: workflow.name,
      counts: toCounts(await store.countRuns({ workflow: workflow.name })),
    })),
  );
  return {
    generatedAt: new Date(options.now).toISOString(),
    totals: toCounts(totals),
    visibleQueued: totals.visibleQueued,
    oldestQueuedAt: totals.oldestQueuedAt === null ? null : totals.oldestQueuedAt.toISOString(),
    workflows: perWorkflow,
    throughput: options.throughput,
  };
}
