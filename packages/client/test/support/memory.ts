import type { ClaimedRun, RunStatus, WorkflowStore } from "@pgqrs/core/storage";
import { createFakeClock, createMemoryStore, type FakeClock, type MemoryStore } from "@pgqrs/core/testing";

export interface MemorySetup {
  clock: FakeClock;
  store: MemoryStore<FakeClock>;
}

/** A memory store on a fake clock with the given workflows created. */
export async function setupMemoryStore(...workflows: string[]): Promise<MemorySetup> {
  const clock = createFakeClock();
  const store = createMemoryStore({ clock });
  for (const name of workflows) await store.createWorkflow({ name });
  return { clock, store };
}

/** Claims the one visible run of `workflow`, as a worker would. */
export async function claimOne(store: WorkflowStore, workflow: string): Promise<ClaimedRun> {
  const { workerId } = await store.registerWorker({ name: "test-worker", workflow });
  const [claimed] = await store.claimRuns({ workerId, workflow, limit: 1, leaseMs: 30_000 });
  if (!claimed) throw new Error(`no visible run of ${workflow} to claim`);
  return claimed;
}

/** How many runs the store holds, over every status. */
export async function totalRuns(store: WorkflowStore): Promise<number> {
  const counts = await store.countRuns({});
  return Object.values(counts.byStatus).reduce((sum, count) => sum + count, 0);
}

/** The same store without notifications: clients must poll it. */
export function withoutNotify(store: WorkflowStore): WorkflowStore {
  const { subscribe: _subscribe, ...rest } = store;
  return { ...rest, capabilities: { notify: false } };
}

/** Tracks the store's subscriptions: how many were opened and how many are still open. */
export function trackSubscriptions(store: MemoryStore<FakeClock>): {
  store: WorkflowStore;
  opened: () => number;
  open: () => number;
  calls: string[];
} {
  let opened = 0;
  let open = 0;
  const calls: string[] = [];
  const tracked: WorkflowStore = {
    ...store,
    async subscribe(args) {
      calls.push("subscribe");
      const subscription = await store.subscribe(args);
      opened += 1;
      open += 1;
      return {
        async close() {
          open -= 1;
          await subscription.close();
        },
      };
    },
    async getRun(args) {
      calls.push("getRun");
      return store.getRun(args);
    },
  };
  return { store: tracked, opened: () => opened, open: () => open, calls };
}

/** Every status with a zero count, for comparisons. */
export const noRuns: Record<RunStatus, number> = { QUEUED: 0, RUNNING: 0, SUCCESS: 0, ERROR: 0, PAUSED: 0, CANCELLED: 0 };
