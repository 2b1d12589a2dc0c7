/** The summary every figure of the benchmark reports: the median of its repetitions, with min and max. */
export interface Summary {
  median: number;
  min: number;
  max: number;
}

function sorted(values: readonly number[]): number[] {
  if (values.length === 0) throw new Error("bench: no values to summarise");
  return [...values].sort((a, b) => a - b);
}

/** The p-th percentile (0–100) by linear interpolation between the closest ranks. */
export function percentile(values: readonly number[], p: number): number {
  const ordered = sorted(values);
  const rank = (p / 100) * (ordered.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = ordered[low] ?? 0;
  const highValue = ordered[high] ?? lowValue;
  return lowValue + (highValue - lowValue) * (rank - low);
}

/** Median, min and max of a set of repetitions. */
export function summarise(values: readonly number[]): Summary {
  const ordered = sorted(values);
  return { median: percentile(ordered, 50), min: ordered[0] ?? 0, max: ordered[ordered.length - 1] ?? 0 };
}

/** A monotonic wall clock in epoch milliseconds with sub-millisecond resolution, comparable across processes. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
