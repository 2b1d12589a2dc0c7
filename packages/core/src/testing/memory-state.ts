import { LeaseLostError } from "../errors/lease-lost-error";
import type {
  EventRecord,
  JsonValue,
  MessageRecord,
  RunRecord,
  RunStatus,
  RunWithSteps,
  StepRecord,
  StoreEvent,
  WorkerRecord,
  WorkflowRecord,
} from "../storage/types";
import type { Clock } from "./fake-clock";

/** A message as the memory store keeps it. */
export interface MessageEntry extends MessageRecord {
  idempotencyKey: string | null;
  archived: boolean;
}

/** A run as the memory store keeps it: the public record plus the lease holder, steps and awaited event. */
export interface RunEntry extends RunRecord {
  leaseToken: string | null;
  steps: Map<string, StepRecord>;
  /** The event a PAUSED run waits for (`pauseRun`'s `waitEvent`); `null` otherwise. */
  waitEvent: string | null;
}

/** The whole memory store state. JavaScript runs one callback at a time, so every method is atomic. */
export interface MemoryState {
  clock: Clock;
  createLeaseToken: () => string;
  workflows: Map<string, WorkflowRecord>;
  messages: Map<string, MessageEntry>;
  runs: Map<string, RunEntry>;
  workers: Map<string, WorkerRecord>;
  /** `${workflow}\u0000${key}` → message id. */
  idempotency: Map<string, string>;
  /** `${runId}\u0000${name}` → the first event sent. */
  events: Map<string, EventRecord>;
  listeners: Set<(event: StoreEvent) => void>;
  nextId: bigint;
}

/** Returns the next id of the store's single increasing sequence, as a decimal string. */
export function nextId(state: MemoryState): string {
  state.nextId += 1n;
  return state.nextId.toString();
}

/** Orders decimal-string ids numerically (they may exceed 2^53). */
export function compareIds(left: string, right: string): number {
  return left.length - right.length || (left < right ? -1 : left > right ? 1 : 0);
}

/** The store's "now". */
export function now(state: MemoryState): Date {
  return new Date(state.clock.now());
}

/** A deep copy, so callers never alias stored values (and stored values never alias callers'). */
export function copy<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

/** A copy of a JSON value; `undefined` (a void output) stays `undefined`. */
export function copyJson(value: JsonValue | undefined): JsonValue | undefined {
  return value === undefined ? undefined : structuredClone(value);
}

/** The public record of a run, detached from the state. */
export function toRunRecord(run: RunEntry): RunRecord {
  return {
    runId: run.runId,
    messageId: run.messageId,
    workflow: run.workflow,
    status: run.status,
    input: copy(run.input),
    output: copyJson(run.output),
    error: copy(run.error),
    attempt: run.attempt,
    runFailures: run.runFailures,
    stepFailures: { ...run.stepFailures },
    createdAt: new Date(run.createdAt),
    startedAt: run.startedAt && new Date(run.startedAt),
    finishedAt: run.finishedAt && new Date(run.finishedAt),
    visibleAt: run.visibleAt && new Date(run.visibleAt),
    leaseExpiresAt: run.leaseExpiresAt && new Date(run.leaseExpiresAt),
    pauseReason: run.pauseReason,
    cancelRequestedAt: run.cancelRequestedAt && new Date(run.cancelRequestedAt),
    cancelReason: run.cancelReason,
  };
}

/** The run's completed steps in completion order (a Map keeps insertion order), detached. */
export function toStepRecords(run: RunEntry): StepRecord[] {
  return [...run.steps.values()].map((step) => ({
    stepId: step.stepId,
    output: copyJson(step.output),
    completedAt: new Date(step.completedAt),
  }));
}

/** The public record of a run with its steps. */
export function toRunWithSteps(run: RunEntry): RunWithSteps {
  return { ...toRunRecord(run), steps: toStepRecords(run) };
}

/** The public record of a message. */
export function toMessageRecord(message: MessageEntry): MessageRecord {
  return {
    id: message.id,
    runId: message.runId,
    workflow: message.workflow,
    createdAt: new Date(message.createdAt),
    visibleAt: new Date(message.visibleAt),
  };
}

/**
 * The fence of every lease-carrying write: returns the run when `leaseToken` is its current token and it is
 * RUNNING; throws `LeaseLostError` otherwise (before anything is changed).
 */
export function fencedRun(state: MemoryState, args: { runId: string; leaseToken: string }): RunEntry {
  const run = state.runs.get(args.runId);
  if (run === undefined || run.status !== "RUNNING" || run.leaseToken !== args.leaseToken) {
    throw new LeaseLostError({ runId: args.runId });
  }
  return run;
}

/** Delivers an event to every subscriber after the current change is done (never synchronously inside it). */
export function publish(state: MemoryState, event: StoreEvent): void {
  for (const listener of [...state.listeners]) {
    queueMicrotask(() => {
      if (state.listeners.has(listener)) listener(copy(event));
    });
  }
}

/** Publishes `run-changed` for the run's current status. */
export function publishRunChanged(state: MemoryState, run: RunEntry): void {
  publish(state, { type: "run-changed", runId: run.runId, status: run.status });
}

/** Clears the lease and leaves the run in `status`; the common tail of every fenced transition. */
export function endDelivery(run: RunEntry, status: RunStatus): void {
  run.status = status;
  run.leaseToken = null;
  run.leaseExpiresAt = null;
}

/** The key of a run's event in `MemoryState.events`. */
export function eventKey(runId: string, name: string): string {
  return `${runId}\u0000${name}`;
}

/** Archives the run's message (final runs only). */
export function archiveMessage(state: MemoryState, run: RunEntry): void {
  const message = state.messages.get(run.messageId);
  if (message !== undefined) message.archived = true;
}
