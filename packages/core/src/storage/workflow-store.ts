import type {
  ClaimedRun,
  EventRecord,
  JsonValue,
  Lease,
  MessageRecord,
  RunPage,
  RunRecord,
  RunStatus,
  RunCounts,
  RunWithSteps,
  StoreEvent,
  StoredError,
  Subscription,
  WorkerRecord,
  WorkflowRecord,
} from "./types";

/** What a store can do beyond the required methods. */
export interface StoreCapabilities {
  /**
   * The store pushes {@link StoreEvent}s through `subscribe`: an `enqueued` event when a message becomes
   * visible at once, a `run-changed` event when a run becomes final, PAUSED or QUEUED again.
   */
  notify: boolean;
}

/**
 * The storage contract, version `"v1"`. A store is a plain object; every method is async and takes one
 * object. Serialization, validation and retry math live in `@pgqrs/core`; a store records what it is told.
 *
 * Time: every "now" below is the store's clock (the database's `now()` for Postgres, the injected clock for
 * the memory store), never the caller's.
 *
 * Fencing: every method that takes a `leaseToken` MUST change nothing and throw `LeaseLostError` when the
 * token is not the run's current one or the run is no longer RUNNING (a zombie worker's late write).
 */
export interface WorkflowStore {
  readonly specVersion: "v1";
  /** A short name for logs and errors (`"memory"`, `"postgres"`, `"pglite"`). */
  readonly name: string;
  readonly capabilities: StoreCapabilities;

  /**
   * Registers a workflow. MUST be idempotent: a second call with the same name returns the existing record
   * and changes nothing. Takes `{ name }` or the bare name (the one exception to one-object arguments, so the
   * SPEC's `store.createWorkflow("zip_files")` reads as written; see docs/decisions). MUST validate the name
   * with core's `workflowNameFrom` and throw its `InvalidNameError` without writing.
   */
  createWorkflow(args: { name: string } | string): Promise<WorkflowRecord>;

  /** Returns the workflow, or `null` when it was never created. */
  getWorkflow(args: { name: string }): Promise<WorkflowRecord | null>;

  /** Lists every workflow, by name. */
  listWorkflows(args?: Record<string, never>): Promise<WorkflowRecord[]>;

  /**
   * Operator pause of a whole workflow: from now on `claimRuns` MUST return none of its runs; runs already
   * RUNNING go on and finish; `enqueue` still accepts new runs. Idempotent (a paused workflow keeps its first
   * `pausedAt`). Takes `{ name }` or the bare name, like `createWorkflow`.
   * MUST throw `UnknownWorkflowError` (and change nothing) for a workflow that does not exist.
   */
  pauseWorkflow(args: { name: string } | string): Promise<WorkflowRecord>;

  /**
   * Ends an operator pause: its runs are claimable again at once. Idempotent. A store with `notify` MUST
   * publish `enqueued` for the workflow after commit. MUST throw `UnknownWorkflowError` for an unknown workflow.
   */
  resumeWorkflow(args: { name: string } | string): Promise<WorkflowRecord>;

  /**
   * Creates a message and its QUEUED run in one transaction, visible at `now + delayMs` (or `runAt`, or now).
   * MUST throw `UnknownWorkflowError` and write nothing when the workflow does not exist.
   * With an `idempotencyKey`, a second enqueue with the same key for the same workflow MUST return the first
   * message with `created: false` and write nothing, including under concurrent calls.
   * A store with `notify` MUST publish `enqueued` when the message is visible at once, after commit.
   */
  enqueue(args: {
    workflow: string;
    input: JsonValue;
    idempotencyKey?: string;
    delayMs?: number;
    runAt?: Date;
  }): Promise<{ message: MessageRecord; created: boolean }>;

  /**
   * Registers one worker process incarnation and returns its id. The same `name` MAY register again (after a
   * crash); each call MUST return a new `workerId`.
   */
  registerWorker(args: { name: string; workflow: string }): Promise<{ workerId: string }>;

  /** Marks the worker stopped. Its leases are untouched (release them first). */
  deregisterWorker(args: { workerId: string }): Promise<void>;

  /**
   * Claims up to `limit` visible runs of `workflow`, oldest visible first, and returns them RUNNING with a new
   * lease token each, `attempt` + 1, and lease end `now + leaseMs`.
   * Visible means: QUEUED or PAUSED with `visibleAt <= now`, or RUNNING with `leaseExpiresAt <= now`
   * (its worker died). Reclaiming an expired RUNNING run MUST add 1 to `runFailures` (a crash counts).
   * A workflow paused by `pauseWorkflow` has no visible runs. Each claimed run carries `claimedAt` (the store
   * clock at the claim) and `cancelRequested` (a cancel was requested while it was RUNNING).
   * Concurrency: a run MUST be handed to exactly one claimer, however many call at once, and claimers MUST
   * NOT block each other on rows another claimer holds.
   */
  claimRuns(args: { workerId: string; workflow: string; limit: number; leaseMs: number }): Promise<ClaimedRun[]>;

  /**
   * Extends every given lease that is still current to `now + leaseMs`, in one operation, and records the
   * worker as alive. Returns the run ids whose leases were extended; a lease missing from the result is lost
   * (MUST NOT be extended: the run was reclaimed, released or finished). `cancelRequested` lists the extended
   * runs whose cancel was requested (`cancelRun` on a RUNNING run): the worker aborts them.
   */
  extendLeases(args: {
    workerId: string;
    leaseMs: number;
    leases: Lease[];
  }): Promise<{ extended: string[]; cancelRequested: string[] }>;

  /**
   * Stores a completed step's output, fenced by the lease. If the step already has an output the first one
   * MUST win: the stored output is returned unchanged and nothing is written. `output: undefined` is a void
   * step and MUST read back as `undefined`. The lease check and the write MUST be one atomic operation.
   * `cancelRequested` says a cancel was requested for the run (the engine stops it at this step boundary).
   */
  saveStep(args: {
    runId: string;
    leaseToken: string;
    stepId: string;
    output: JsonValue | undefined;
  }): Promise<{ output: JsonValue | undefined; created: boolean; cancelRequested: boolean }>;

  /**
   * Ends the run SUCCESS with `output`, archives its message and clears its lease, atomically and fenced.
   * MUST publish `run-changed` after commit when the store has `notify`.
   */
  completeRun(args: { runId: string; leaseToken: string; output: JsonValue | undefined }): Promise<void>;

  /** Ends the run ERROR with `error`, archives its message and clears its lease, atomically and fenced. */
  failRun(args: { runId: string; leaseToken: string; error: StoredError }): Promise<void>;

  /**
   * Puts the run back to QUEUED, visible at `now + delayMs`, with `error` as its last error, fenced.
   * With `stepId` it MUST add 1 to that step's failure count; without, 1 to `runFailures`.
   * A run whose cancel was requested MUST end CANCELLED instead (final, message archived).
   */
  retryRun(args: {
    runId: string;
    leaseToken: string;
    error: StoredError;
    delayMs: number;
    stepId?: string;
  }): Promise<void>;

  /**
   * Makes the run PAUSED, visible at `now + delayMs` (or `until`), with an optional reason, fenced.
   * A pause MUST NOT count as a failure. A run whose cancel was requested MUST end CANCELLED instead.
   *
   * With `waitEvent` the run waits for that event too: `sendEvent` of it makes the run visible at once. When the
   * event was already sent (before or while the run was RUNNING) the run MUST be visible at once: no event may
   * be lost between the engine's `getEvent` and this pause, however the two calls interleave.
   */
  pauseRun(args: {
    runId: string;
    leaseToken: string;
    delayMs?: number;
    until?: Date;
    reason?: string;
    waitEvent?: string;
  }): Promise<void>;

  /**
   * Hands a RUNNING run back (graceful shutdown): QUEUED, visible now, lease cleared, no failure counted.
   * Fenced; a store with `notify` MUST publish `enqueued`. A run whose cancel was requested MUST end CANCELLED.
   */
  releaseRun(args: { runId: string; leaseToken: string }): Promise<void>;

  /**
   * Ends a RUNNING run CANCELLED (final, message archived, lease cleared), fenced: the worker's answer to a
   * cancel request. `cancelRequestedAt` and `cancelReason` keep what `cancelRun` recorded.
   * MUST publish `run-changed` after commit when the store has `notify`.
   */
  acknowledgeCancel(args: { runId: string; leaseToken: string }): Promise<void>;

  /**
   * Cancels a run. QUEUED or PAUSED: CANCELLED at once (final, message archived, `cancelRequestedAt` and
   * `finishedAt` now, `cancelReason` kept). RUNNING: records the request (`cancelRequestedAt`, `cancelReason`)
   * and leaves the run RUNNING; its worker learns of it from `saveStep` or `extendLeases` and calls
   * `acknowledgeCancel`. A CANCELLED run is returned unchanged (idempotent). Returns the run as it is after the
   * call. MUST throw `RunNotFoundError` for an unknown run and `InvalidRunStateError` for a SUCCESS or ERROR run
   * (and change nothing). A store with `notify` MUST publish `run-changed` when the run became CANCELLED.
   */
  cancelRun(args: { runId: string; reason?: string }): Promise<RunRecord>;

  /**
   * Sends an event to a run. The first payload for a `(runId, name)` wins: a second send MUST change nothing
   * and return the stored event with `created: false`. When the run is PAUSED waiting for `name` (see
   * `pauseRun`'s `waitEvent`) it MUST become visible at once, in the same transaction, and a store with
   * `notify` MUST publish `enqueued` after commit. An event for a run that does not wait for it yet is kept.
   * MUST throw `RunNotFoundError` for an unknown run and `InvalidRunStateError` for a final run (nothing could
   * ever receive the event), writing nothing.
   */
  sendEvent(args: { runId: string; name: string; payload: JsonValue }): Promise<{ event: EventRecord; created: boolean }>;

  /** Returns the event `name` sent to the run, or `null` when none was sent. */
  getEvent(args: { runId: string; name: string }): Promise<EventRecord | null>;

  /** Returns the run with its completed steps in completion order, or `null` when unknown. */
  getRun(args: { runId: string }): Promise<RunWithSteps | null>;

  /**
   * Lists runs newest first (by creation, then id), optionally filtered, `limit` per page (default 50).
   * Paging with `nextCursor` MUST visit every run exactly once even while new runs are enqueued.
   */
  listRuns(args: { workflow?: string; status?: RunStatus; limit?: number; cursor?: string }): Promise<RunPage>;

  /**
   * Makes a PAUSED run visible now and returns it. MUST throw `RunNotFoundError` for an unknown run and
   * `InvalidRunStateError` for a run that is not PAUSED (and change nothing).
   */
  resumeRun(args: { runId: string }): Promise<RunRecord>;

  /**
   * Queues an ERROR run again on the same `runId`, keeping its completed steps: QUEUED, visible now, error kept
   * as the last error, failure counts reset, a new message (the old one stays archived) or the same message
   * un-archived. MUST throw `RunNotFoundError` for an unknown run and `InvalidRunStateError` for a run that is
   * not ERROR (and change nothing).
   */
  retryFailedRun(args: { runId: string }): Promise<RunRecord>;

  /**
   * Counts runs by status, optionally for one workflow. Every status MUST be present (0 when none).
   * `visibleQueued` counts QUEUED runs claimable now (the queue depth); `oldestQueuedAt` is the earliest
   * `visibleAt` among them, or `null`.
   */
  countRuns(args: { workflow?: string }): Promise<RunCounts>;

  /** Lists registered workers, most recently seen first, at most `limit` (default 100). */
  listWorkers(args?: { limit?: number }): Promise<WorkerRecord[]>;

  /**
   * Present when `capabilities.notify`: delivers {@link StoreEvent}s to `onEvent` until closed. Events are
   * hints (a subscriber MUST re-read state); a store MAY drop or merge them but MUST NOT deliver one before the
   * change it announces is visible to readers.
   */
  subscribe?(args: { onEvent: (event: StoreEvent) => void }): Promise<Subscription>;

  /** Releases what the store opened (never a pool or instance the caller passed in). MUST be idempotent. */
  close(): Promise<void>;
}

