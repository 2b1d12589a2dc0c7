import { nowMs, sleep } from "../stats";
import type { JobKind, JobPayload, WorkerEvent } from "./types";

/** Runs one durable step (pgqrs `ctx.step`, `DBOS.runStep`), or just the function for systems without steps. */
export type StepRunner = (id: string, fn: () => Promise<void>) => Promise<void>;

/** Runs the function itself: graphile-worker and pg-boss jobs have no steps. */
export const plainStep: StepRunner = (_id, fn) => fn();

const noop = async (): Promise<void> => undefined;

/** What one job of any kind does; the same body for every system. */
export interface JobBody {
  kind: JobKind;
  payload: JobPayload;
  step: StepRunner;
  emit: (event: WorkerEvent) => void;
  holdMs: number;
}

/** The job every system runs, given its way of running a step. */
export async function runJob(job: JobBody): Promise<void> {
  const { step, payload } = job;
  switch (job.kind) {
    case "noop1":
      await step("a", noop);
      return;
    case "noop3":
      await step("a", noop);
      await step("b", noop);
      await step("c", noop);
      return;
    case "latency":
      await step("a", async () => {
        if (payload.sentAt !== undefined) job.emit({ type: "latency", ms: nowMs() - payload.sentAt });
      });
      return;
    case "steps100": {
      const started = nowMs();
      for (let index = 0; index < 100; index += 1) await step(`s${index}`, noop);
      job.emit({ type: "step-overhead", msPerStep: (nowMs() - started) / 100 });
      return;
    }
    case "recovery":
      await step("a", noop);
      await step("b", () => sleep(job.holdMs));
      return;
  }
}

/** Wraps a job runner so the first call reports `first-job` with its time. */
export function reportFirstJob(emit: (event: WorkerEvent) => void): () => void {
  let seen = false;
  return () => {
    if (seen) return;
    seen = true;
    emit({ type: "first-job", at: nowMs() });
  };
}
