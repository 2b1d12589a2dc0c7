import { UnknownWorkflowError } from "../errors/unknown-workflow-error";
import { workflowNameFrom } from "../names";
import type { WorkflowStore } from "../storage/workflow-store";
import { systemClock, type Clock } from "./fake-clock";
import {
  claimRuns,
  completeRun,
  extendLeases,
  failRun,
  pauseRun,
  releaseRun,
  retryRun,
  saveStep,
} from "./memory-deliveries";
import { acknowledgeCancel, cancelRun } from "./memory-cancel";
import { getEvent, sendEvent } from "./memory-events";
import { pauseWorkflow, resumeWorkflow } from "./memory-workflows";
import { countRuns, listRuns, listWorkers, resumeRun, retryFailedRun } from "./memory-queries";
import { copy, nextId, now, publish, toMessageRecord, toRunWithSteps, type MemoryState } from "./memory-state";

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions<TClock extends Clock = Clock> {
  /** The store's clock: visibility, leases and timestamps all read it. @default the wall clock (`Date.now`) */
  clock?: TClock;
  /** The store's `name`, for logs. @default "memory" */
  name?: string;
  /** Makes each claim's lease token. @default `crypto.randomUUID()` */
  createLeaseToken?: () => string;
}

/** The memory store: a complete `WorkflowStore` plus the clock it reads, and `subscribe` always present. */
export type MemoryStore<TClock extends Clock = Clock> = WorkflowStore & {
  readonly clock: TClock;
  subscribe: NonNullable<WorkflowStore["subscribe"]>;
};

function defaultLeaseTokens(): () => string {
  const randomUUID = globalThis.crypto?.randomUUID?.bind(globalThis.crypto);
  if (randomUUID !== undefined) return () => randomUUID();
  let counter = 0;
  const prefix = Math.random().toString(36).slice(2);
  return () => `${prefix}-${(counter += 1)}`;
}

function createState(clock: Clock, createLeaseToken: () => string): MemoryState {
  return {
    clock,
    createLeaseToken,
    workflows: new Map(),
    messages: new Map(),
    runs: new Map(),
    workers: new Map(),
    idempotency: new Map(),
    events: new Map(),
    listeners: new Set(),
    nextId: 0n,
  };
}

/**
 * Creates an in-process `WorkflowStore` that keeps everything in memory: the reference implementation of the
 * v1 contract, for tests and examples. Every method is atomic (it runs to completion without awaiting), values
 * are deep-copied in and out, ids are increasing decimal strings, and `subscribe` delivers events in a
 * microtask after the change is visible.
 *
 * @example
 * const clock = createFakeClock();
 * const store = createMemoryStore({ clock });
 * clock.advance(30_000); // leases and delays expire without sleeping
 */
export function createMemoryStore<TClock extends Clock = Clock>(options: MemoryStoreOptions<TClock> = {}): MemoryStore<TClock> {
  const clock = (options.clock ?? systemClock) as TClock;
  const state = createState(clock, options.createLeaseToken ?? defaultLeaseTokens());

  return {
    specVersion: "v1",
    name: options.name ?? "memory",
    capabilities: { notify: true },
    clock,

    async createWorkflow(args) {
      const name = workflowNameFrom(args);
      let workflow = state.workflows.get(name);
      if (workflow === undefined) {
        workflow = { name, createdAt: now(state), pausedAt: null };
        state.workflows.set(name, workflow);
      }
      return copy(workflow);
    },

    async getWorkflow({ name }) {
      return copy(state.workflows.get(name) ?? null);
    },

    async listWorkflows() {
      return [...state.workflows.values()].sort((left, right) => (left.name < right.name ? -1 : 1)).map(copy);
    },

    pauseWorkflow: async (args) => pauseWorkflow(state, args),
    resumeWorkflow: async (args) => resumeWorkflow(state, args),

    async enqueue(args) {
      if (!state.workflows.has(args.workflow)) throw new UnknownWorkflowError(args.workflow);
      const key = args.idempotencyKey === undefined ? undefined : `${args.workflow}\u0000${args.idempotencyKey}`;
      const existingId = key === undefined ? undefined : state.idempotency.get(key);
      const existing = existingId === undefined ? undefined : state.messages.get(existingId);
      if (existing !== undefined) return { message: toMessageRecord(existing), created: false };

      const createdAt = now(state);
      const visibleAt = args.runAt ?? new Date(createdAt.getTime() + Math.max(0, args.delayMs ?? 0));
      const messageId = nextId(state);
      const runId = nextId(state);
      const message = {
        id: messageId,
        runId,
        workflow: args.workflow,
        createdAt,
        visibleAt: new Date(visibleAt),
        idempotencyKey: args.idempotencyKey ?? null,
        archived: false,
      };
      state.messages.set(messageId, message);
      state.runs.set(runId, {
        runId,
        messageId,
        workflow: args.workflow,
        status: "QUEUED",
        input: copy(args.input),
        output: undefined,
        error: null,
        attempt: 0,
        runFailures: 0,
        stepFailures: {},
        createdAt: new Date(createdAt),
        startedAt: null,
        finishedAt: null,
        visibleAt: new Date(visibleAt),
        leaseExpiresAt: null,
        pauseReason: null,
        cancelRequestedAt: null,
        cancelReason: null,
        leaseToken: null,
        steps: new Map(),
        waitEvent: null,
      });
      if (key !== undefined) state.idempotency.set(key, messageId);
      if (visibleAt.getTime() <= createdAt.getTime()) publish(state, { type: "enqueued", workflow: args.workflow });
      return { message: toMessageRecord(message), created: true };
    },

    async registerWorker({ name, workflow }) {
      const workerId = nextId(state);
      const at = now(state);
      state.workers.set(workerId, { workerId, name, workflow, startedAt: at, lastSeenAt: new Date(at), stoppedAt: null });
      return { workerId };
    },

    async deregisterWorker({ workerId }) {
      const worker = state.workers.get(workerId);
      if (worker !== undefined && worker.stoppedAt === null) worker.stoppedAt = now(state);
    },

    claimRuns: async (args) => claimRuns(state, args),
    extendLeases: async (args) => extendLeases(state, args),
    saveStep: async (args) => saveStep(state, args),
    completeRun: async (args) => completeRun(state, args),
    failRun: async (args) => failRun(state, args),
    retryRun: async (args) => retryRun(state, args),
    pauseRun: async (args) => pauseRun(state, args),
    releaseRun: async (args) => releaseRun(state, args),
    acknowledgeCancel: async (args) => acknowledgeCancel(state, args),
    cancelRun: async (args) => cancelRun(state, args),
    sendEvent: async (args) => sendEvent(state, args),
    getEvent: async (args) => getEvent(state, args),

    async getRun({ runId }) {
      const run = state.runs.get(runId);
      return run === undefined ? null : toRunWithSteps(run);
    },

    listRuns: async (args) => listRuns(state, args),
    resumeRun: async (args) => resumeRun(state, args),
    retryFailedRun: async (args) => retryFailedRun(state, args),
    countRuns: async (args) => countRuns(state, args),
    listWorkers: async (args) => listWorkers(state, args ?? {}),

    async subscribe({ onEvent }) {
      // A fresh wrapper per subscription, so subscribing the same callback twice yields two independent ones.
      const listener = (event: Parameters<typeof onEvent>[0]): void => onEvent(event);
      state.listeners.add(listener);
      return {
        async close() {
          state.listeners.delete(listener);
        },
      };
    },

    async close() {
      state.listeners.clear();
    },
  };
}
