import type { RunStatus, WorkflowStore } from "@pgqrs/core/storage";
import type { ApiThroughput, ApiThroughputBucket } from "./api-types";

/** Options of {@link computeThroughput}. */
export interface ThroughputOptions {
  store: WorkflowStore;
  /** The current time in epoch milliseconds. */
  now: number;
  /** The chart's span. @default 3_600_000 (one hour) */
  windowMs?: number;
  /** One bar's span. @default 60_000 (one minute) */
  bucketMs?: number;
  /**
   * How far before the window a run may have been created and still be counted: runs are listed newest created
   * first, so the scan stops at runs created before `now - windowMs - lookbackMs`. @default windowMs
   */
  lookbackMs?: number;
  /** The most runs read per final status, so a huge history costs a bounded number of pages. @default 5000 */
  budget?: number;
}

const pageSize = 1000;

interface ScanResult {
  finishedAt: number[];
  complete: boolean;
}

async function scanFinished(
  options: Required<Omit<ThroughputOptions, "now">> & { now: number },
  status: RunStatus,
): Promise<ScanResult> {
  const windowStart = options.now - options.windowMs;
  const horizon = windowStart - options.lookbackMs;
  const finishedAt: number[] = [];
  let cursor: string | undefined;
  let read = 0;
  for (;;) {
    const limit = Math.min(pageSize, Math.max(1, options.budget - read));
    const page = await options.store.listRuns({ status, limit, cursor });
    for (const run of page.runs) {
      if (run.createdAt.getTime() < horizon) return { finishedAt, complete: true };
      const finished = run.finishedAt?.getTime();
      if (finished !== undefined && finished >= windowStart && finished <= options.now) finishedAt.push(finished);
    }
    read += page.runs.length;
    if (page.nextCursor === null) return { finishedAt, complete: true };
    if (read >= options.budget) return { finishedAt, complete: false };
    cursor = page.nextCursor;
  }
}

/**
 * Finished runs (SUCCESS and ERROR) per bucket over the last window, computed from `listRuns` pages: the storage
 * contract lists runs by creation time only, so this reads the final runs created since the window (plus a
 * lookback) and buckets them by `finishedAt`. A run that waited longer than the lookback before finishing is not
 * counted; `complete: false` says the budget ran out first. Buckets are oldest first, the last one ending at `now`.
 */
export async function computeThroughput(options: ThroughputOptions): Promise<ApiThroughput> {
  const windowMs = options.windowMs ?? 3_600_000;
  const bucketMs = options.bucketMs ?? 60_000;
  const settings = {
    store: options.store,
    now: options.now,
    windowMs,
    bucketMs,
    lookbackMs: options.lookbackMs ?? windowMs,
    budget: options.budget ?? 5000,
  };
  const [success, error] = await Promise.all([scanFinished(settings, "SUCCESS"), scanFinished(settings, "ERROR")]);
  const count = Math.ceil(windowMs / bucketMs);
  const firstStart = options.now - count * bucketMs;
  const buckets: ApiThroughputBucket[] = Array.from({ length: count }, (_, index) => ({
    at: new Date(firstStart + index * bucketMs).toISOString(),
    success: 0,
    error: 0,
  }));
  const place = (time: number, key: "success" | "error") => {
    // A run finishing exactly at `now` belongs to the last bucket.
    const index = Math.min(count - 1, Math.floor((time - firstStart) / bucketMs));
    const bucket = buckets[index];
    if (bucket !== undefined) bucket[key] += 1;
  };
  for (const time of success.finishedAt) place(time, "success");
  for (const time of error.finishedAt) place(time, "error");
  return { windowMs, bucketMs, buckets, complete: success.complete && error.complete };
}
