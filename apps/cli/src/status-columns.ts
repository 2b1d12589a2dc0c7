import type { RunCounts } from "@pgqrs/core/storage";
import { runStatuses } from "./parse-options";

/** The known statuses in lifecycle order, then any status a newer store reports. */
export function statusColumns(counts: readonly RunCounts[]): string[] {
  const extra = new Set<string>();
  for (const count of counts) {
    for (const status of Object.keys(count.byStatus)) {
      if (!(runStatuses as readonly string[]).includes(status)) extra.add(status);
    }
  }
  return [...runStatuses, ...[...extra].sort()];
}

/** The count of `status` in `counts`, 0 when absent. */
export function countOf(counts: RunCounts, status: string): number {
  return (counts.byStatus as Record<string, number | undefined>)[status] ?? 0;
}

/** All runs in `counts`. */
export function totalOf(counts: RunCounts): number {
  return Object.values(counts.byStatus as Record<string, number>).reduce((sum, count) => sum + count, 0);
}
