import { connectClient } from "./db";
import { nowMs, sleep } from "./stats";
import type { BenchSystem, JobKind, JobPayload } from "./systems/types";
import type { WorkerProcess } from "./worker-process";

/** Payloads `{ i }` for `count` jobs. */
export function payloads(count: number): JobPayload[] {
  return Array.from({ length: count }, (_, i) => ({ i }));
}

/**
 * Polls `remaining()` until it reaches 0 and returns the time it was first seen at 0 (epoch ms). The interval
 * grows with the elapsed time (10–100 ms), so it costs little and errs by well under 1 % of the duration.
 */
export async function waitUntilDone(args: {
  system: BenchSystem;
  url: string;
  kind: JobKind;
  since: number;
  timeoutMs?: number;
}): Promise<number> {
  const client = await connectClient(args.url);
  const deadline = nowMs() + (args.timeoutMs ?? 600_000);
  try {
    for (;;) {
      const left = await args.system.remaining(client, args.kind);
      const at = nowMs();
      if (left === 0) return at;
      if (at > deadline) throw new Error(`bench: ${args.system.name} still had ${left} ${args.kind} jobs after the timeout`);
      await sleep(Math.min(100, Math.max(10, (at - args.since) / 200)));
    }
  } finally {
    await client.end();
  }
}

/**
 * One drain: pre-enqueues `count` jobs, starts a worker in the (ready) worker process, and returns the seconds from
 * the first job's start until the last job is finished in the database, and the worker process's CPU time per job
 * (from its start to its halt, afterwards).
 */
export async function drainOnce(args: {
  system: BenchSystem;
  url: string;
  kind: JobKind;
  count: number;
  worker: WorkerProcess;
}): Promise<{ seconds: number; cpuMicrosPerJob: number }> {
  const { system, url, kind, count, worker } = args;
  const producer = await system.producer(url);
  try {
    await producer.enqueueMany(kind, payloads(count));
  } finally {
    await producer.close();
  }
  const since = nowMs();
  const first = worker.start();
  first.catch(() => undefined);
  let seconds: number;
  try {
    const finished = await waitUntilDone({ system, url, kind, since });
    seconds = (finished - (await first)) / 1000;
  } catch (error) {
    await worker.halt().catch(() => undefined);
    throw error;
  }
  const cpuMicros = await worker.halt();
  return { seconds, cpuMicrosPerJob: cpuMicros / count };
}
