import type { WorkerRecord } from "@pgqrs/core/storage";

/** A worker counts as live when it registered or heartbeat within this window. */
export const liveWorkerWindowMs = 60_000;

/** The workers not stopped and seen within {@link liveWorkerWindowMs} of `now` (epoch ms). */
export function liveWorkers(workers: readonly WorkerRecord[], now: number): WorkerRecord[] {
  return workers.filter((worker) => worker.stoppedAt === null && now - worker.lastSeenAt.getTime() <= liveWorkerWindowMs);
}
