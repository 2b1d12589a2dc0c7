// Shared set-up of the engine tests (not part of the package's exports).
import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { ClaimedRun, JsonValue, RunWithSteps } from "../storage/types";
import { createFakeClock, createMemoryStore, type FakeClock, type MemoryStore } from "../testing";
import { defineWorkflow } from "../workflow/define-workflow";
import type { AnyWorkflowDefinition, RetryPolicy, WorkflowHandler } from "../workflow/types";
import { executeRun } from "./execute-run";
import type { ExecuteRunOptions, RunOutcome } from "./types";

export const leaseMs = 30_000;

export interface Harness {
  clock: FakeClock;
  store: MemoryStore<FakeClock>;
  workflow: AnyWorkflowDefinition;
  workerId: string;
  trigger(input?: JsonValue): Promise<string>;
  claim(): Promise<ClaimedRun | undefined>;
  /** Claims the next run and executes it once. */
  deliver(handler: WorkflowHandler<unknown, unknown>, options?: Partial<ExecuteRunOptions>): Promise<RunOutcome>;
  execute(run: ClaimedRun, handler: WorkflowHandler<unknown, unknown>, options?: Partial<ExecuteRunOptions>): Promise<RunOutcome>;
  getRun(runId: string): Promise<RunWithSteps>;
}

export async function createHarness(
  options: { retry?: Partial<RetryPolicy>; input?: StandardSchemaV1; output?: StandardSchemaV1 } = {},
): Promise<Harness> {
  const clock = createFakeClock();
  const store = createMemoryStore({ clock });
  const workflow = defineWorkflow({ name: "engine_test", ...options });
  await store.createWorkflow({ name: workflow.name });
  const { workerId } = await store.registerWorker({ name: "test-worker", workflow: workflow.name });
  const claim = async (): Promise<ClaimedRun | undefined> => {
    const [run] = await store.claimRuns({ workerId, workflow: workflow.name, limit: 1, leaseMs });
    return run;
  };
  // The fake clock is the monotonic clock too, so the engine's store clock moves only when a test moves it.
  const execute: Harness["execute"] = (run, handler, extra = {}) =>
    executeRun({ store, run, workflow, handler, now: () => clock.now(), ...extra });
  return {
    clock,
    store,
    workflow,
    workerId,
    trigger: async (input = {}) => (await store.enqueue({ workflow: workflow.name, input })).message.runId,
    claim,
    async deliver(handler, extra) {
      const run = await claim();
      if (run === undefined) throw new Error("no run is claimable");
      return execute(run, handler, extra);
    },
    execute,
    async getRun(runId) {
      const run = await store.getRun({ runId });
      if (run === null) throw new Error(`run ${runId} not found`);
      return run;
    },
  };
}

/** A promise with its resolve function, for gating a fake store call or a handler. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** Milliseconds from the store's now until the run becomes visible. */
export function visibleInMs(run: RunWithSteps, clock: FakeClock): number {
  if (run.visibleAt === null) throw new Error("run has no visibleAt");
  return run.visibleAt.getTime() - clock.now();
}
