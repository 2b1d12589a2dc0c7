import type {
  ClaimedRun,
  JsonValue,
  MessageRecord,
  RunWithSteps,
  StoredError,
  WorkflowStore,
} from "@pgqrs/core/storage";
import { afterEach, beforeEach, expect } from "vitest";

/** What a store package hands the suite for one test. */
export interface StoreUnderTest {
  /** A store the test may use freely; runs of other tests MAY still be in it (tests use fresh workflow names). */
  store: WorkflowStore;
  /**
   * Moves the store's clock forward by `ms`: the memory store advances its fake clock, a database store shifts
   * its stored timestamps back. Tests never sleep to let time pass.
   */
  advanceTime(ms: number): Promise<void>;
  /** Releases what the factory opened. @default `store.close()` */
  cleanup?(): Promise<void>;
}

/** Creates a fresh {@link StoreUnderTest}; called before every test. */
export type StoreFactory = () => Promise<StoreUnderTest>;

/** A lease long enough that it never ends by itself during a test. */
export const leaseMs = 30_000;

/**
 * How far two store timestamps may be from the value a test expects. A database's clock keeps running while a
 * test runs; every delay the suite uses is far larger than this.
 */
export const toleranceMs = 5_000;

/** A stored error as core would write it. */
export function sampleError(overrides: Partial<StoredError> = {}): StoredError {
  return { name: "TransientError", message: "flaky upstream", attempt: 1, ...overrides };
}

/** A payload that exercises JSON round-tripping: nesting, unicode, escapes, numbers, nulls, empty containers. */
export function richJson(): JsonValue {
  return {
    text: "héllo wörld — 日本語 🚀 \"quoted\" \\ back\nslash\ttab",
    numbers: [0, -1, 1.5, 1e21, -0.000001, Number.MAX_SAFE_INTEGER],
    flags: { yes: true, no: false, nothing: null },
    nested: { deep: { deeper: { deepest: [[[{ emptyObject: {}, emptyArray: [] }]]] } } },
    "key with spaces & ünïcode": "value",
    list: Array.from({ length: 200 }, (_, index) => ({ index, label: `item-${index}` })),
    big: "x".repeat(100_000),
  };
}

/** The per-test helpers every suite uses. */
export interface SuiteContext {
  readonly store: WorkflowStore;
  advanceTime(ms: number): Promise<void>;
  /** Creates a workflow whose name no other test uses. */
  newWorkflow(): Promise<string>;
  /** Registers a worker for `workflow`. */
  newWorker(workflow: string): Promise<string>;
  enqueue(
    workflow: string,
    options?: { input?: JsonValue; delayMs?: number; runAt?: Date; idempotencyKey?: string },
  ): Promise<MessageRecord>;
  /** Claims with `limit: 1` and asserts that exactly one run came back. */
  claimOne(workflow: string, options?: { leaseMs?: number; workerId?: string }): Promise<ClaimedRun>;
  /** Claims up to `limit` runs of `workflow` for a fresh worker. */
  claim(workflow: string, limit: number, options?: { leaseMs?: number }): Promise<ClaimedRun[]>;
  /** New workflow, one enqueued run, claimed: the start of most lease tests. */
  startRun(options?: { input?: JsonValue; leaseMs?: number }): Promise<{ workflow: string; claim: ClaimedRun }>;
  /** Reads a run that must exist. */
  getRun(runId: string): Promise<RunWithSteps>;
}

let workflowCounter = 0;
const suffix = Math.random().toString(36).slice(2, 8);

/** Registers the `beforeEach`/`afterEach` pair that gives every test its own store, and returns the helpers. */
export function createSuiteContext(createStore: StoreFactory): SuiteContext {
  let current: StoreUnderTest | undefined;

  beforeEach(async () => {
    current = await createStore();
  });
  afterEach(async () => {
    const finished = current;
    current = undefined;
    if (finished === undefined) return;
    if (finished.cleanup === undefined) await finished.store.close();
    else await finished.cleanup();
  });

  const harness = (): StoreUnderTest => {
    if (current === undefined) throw new Error("store conformance: the store is only available inside a test");
    return current;
  };

  const context: SuiteContext = {
    get store() {
      return harness().store;
    },
    advanceTime: (ms) => harness().advanceTime(ms),
    async newWorkflow() {
      workflowCounter += 1;
      const name = `conformance_${suffix}_${workflowCounter}`;
      await context.store.createWorkflow({ name });
      return name;
    },
    async newWorker(workflow) {
      const { workerId } = await context.store.registerWorker({ name: "conformance-worker", workflow });
      return workerId;
    },
    async enqueue(workflow, options = {}) {
      const { message } = await context.store.enqueue({ workflow, input: options.input === undefined ? { n: 1 } : options.input, ...withoutInput(options) });
      return message;
    },
    async claimOne(workflow, options = {}) {
      const workerId = options.workerId ?? (await context.newWorker(workflow));
      const claimed = await context.store.claimRuns({ workerId, workflow, limit: 1, leaseMs: options.leaseMs ?? leaseMs });
      expect(claimed).toHaveLength(1);
      const [claim] = claimed;
      if (claim === undefined) throw new Error("unreachable: length checked above");
      return claim;
    },
    async claim(workflow, limit, options = {}) {
      const workerId = await context.newWorker(workflow);
      return context.store.claimRuns({ workerId, workflow, limit, leaseMs: options.leaseMs ?? leaseMs });
    },
    async startRun(options = {}) {
      const workflow = await context.newWorkflow();
      await context.enqueue(workflow, options.input === undefined ? {} : { input: options.input });
      const claim = await context.claimOne(workflow, options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs });
      return { workflow, claim };
    },
    async getRun(runId) {
      const run = await context.store.getRun({ runId });
      expect(run, `run ${runId} should exist`).not.toBeNull();
      if (run === null) throw new Error("unreachable: checked above");
      return run;
    },
  };
  return context;
}

function withoutInput(options: { input?: JsonValue; delayMs?: number; runAt?: Date; idempotencyKey?: string }): {
  delayMs?: number;
  runAt?: Date;
  idempotencyKey?: string;
} {
  const { input: _input, ...rest } = options;
  return rest;
}

/** Asserts `date - base` is `offsetMs`, within {@link toleranceMs}. */
export function expectOffset(date: Date | null | undefined, base: Date, offsetMs: number): void {
  expect(date, "timestamp should be set").toBeInstanceOf(Date);
  if (!(date instanceof Date)) return;
  const actual = date.getTime() - base.getTime();
  expect(Math.abs(actual - offsetMs), `expected ${offsetMs} ms after base, got ${actual} ms`).toBeLessThanOrEqual(toleranceMs);
}

/** An error class with the `isInstance` check every pgqrs error has. */
export interface ErrorClass {
  readonly name: string;
  isInstance(error: unknown): boolean;
}

/** Asserts that `operation` rejects with an error `errorClass.isInstance` recognises. */
export async function expectRejection(operation: Promise<unknown>, errorClass: ErrorClass): Promise<void> {
  const outcome = await operation.then(
    () => ({ rejected: false as const }),
    (error: unknown) => ({ rejected: true as const, error }),
  );
  expect(outcome.rejected, `expected a ${errorClass.name}, but the call succeeded`).toBe(true);
  if (outcome.rejected) {
    expect(errorClass.isInstance(outcome.error), `expected a ${errorClass.name}, got ${String(outcome.error)}`).toBe(true);
  }
}
