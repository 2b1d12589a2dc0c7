import { assertCompatibleStore, ConfigurationError, RunNotFoundError } from "@pgqrs/core";
import type { WorkflowStore } from "@pgqrs/core/storage";
import { toRunInfo, type RunInfo } from "./run-info";
import { resolveRunId, type RunRef } from "./run-ref";
import { sendRunEvent, type SentEvent } from "./sent-event";
import { waitForResult, type ResultOptions } from "./wait-for-result";

/** `run()`: the entry point for reading and steering runs. */
export interface RunBuilder {
  /**
   * Picks the run: the {@link QueueMessage} returned by `trigger()`, `{ runId }`, or the run id string. A
   * message from a definition's trigger carries the output type, so `result()` is typed.
   */
  status<TOutput = unknown>(ref: RunRef<TOutput>): RunStatusBuilder<TOutput>;
}

/** `run().status(ref)`: the run is chosen; pick the store. */
export interface RunStatusBuilder<TOutput = unknown> {
  /** The store the run lives in. */
  store(store: WorkflowStore): RunHandle<TOutput>;
}

/** `run().status(ref).store(store)`: what can be done with the run. */
export interface RunHandle<TOutput = unknown> {
  /**
   * A snapshot of the run: status, input, output, last error, attempt, times and completed steps.
   * @throws ConfigurationError (option `ref`) when the ref is not a message, `{ runId }` or a run id string
   * @throws IncompatibleStoreError when the store implements another storage contract version
   * @throws RunNotFoundError when the store has no such run
   */
  get(): Promise<RunInfo<TOutput>>;
  /**
   * Waits until the run is final and returns its output. Waits through QUEUED, RUNNING and PAUSED; listens
   * for the store's notifications where it has them, polls otherwise.
   * @throws ConfigurationError for a bad ref or `timeoutMs`
   * @throws IncompatibleStoreError when the store implements another storage contract version
   * @throws RunNotFoundError when the store has no such run
   * @throws RunFailedError when the run ended ERROR; `error` holds the stored error
   * @throws RunCancelledError when the run ended CANCELLED; `reason` holds the cancel's reason
   * @throws WaitTimeoutError after `timeoutMs` (the run goes on)
   * @throws the signal's reason when `signal` aborts
   * @throws the store's own error (e.g. `ConnectionError`) when a read fails; nothing is retried here
   */
  result(options?: ResultOptions): Promise<TOutput>;
  /**
   * Makes a PAUSED run claimable now (its completed steps are not re-run) and returns the run as resumed.
   * @throws ConfigurationError for a bad ref
   * @throws IncompatibleStoreError when the store implements another storage contract version
   * @throws RunNotFoundError when the store has no such run
   * @throws InvalidRunStateError when the run is not PAUSED
   */
  resume(): Promise<RunInfo<TOutput>>;
  /**
   * Sends the event `name` to the run, for its `ctx.waitForEvent(id, name)`. A run PAUSED waiting for it is
   * woken at once; an event sent before the run waits is kept and delivered when it does.
   *
   * The first payload sent under a name wins and is what the run receives: a second send of the same name
   * changes nothing and answers `created: false` with the earlier `payload` and `sentAt`. The name and the
   * payload are checked before anything is written.
   * @throws ConfigurationError for a bad ref
   * @throws InvalidNameError when `name` is not 1–128 characters of `[A-Za-z0-9_.-]` starting with a letter or digit
   * @throws NotJsonError (naming the path) or PayloadTooLargeError when the payload is not storable JSON
   * @throws IncompatibleStoreError when the store implements another storage contract version
   * @throws RunNotFoundError when the store has no such run
   * @throws InvalidRunStateError when the run is final (SUCCESS, ERROR or CANCELLED): nothing could receive it
   */
  sendEvent(name: string, payload: unknown): Promise<SentEvent>;
  /**
   * Cancels the run and returns it as it is after the call. A QUEUED or PAUSED run is CANCELLED at once. A
   * RUNNING run stays RUNNING with `cancelRequestedAt` set until its worker hears of it (at its next step write
   * or heartbeat): `ctx.signal` aborts with `RunCancelledError` and the run ends CANCELLED at its next step
   * boundary; a handler that returns first still ends SUCCESS or ERROR. Cancelling a CANCELLED run returns it
   * unchanged. Wait for the end with `result()`, which throws `RunCancelledError` for a CANCELLED run.
   * @throws ConfigurationError for a bad ref, or a `reason` that is not a string
   * @throws IncompatibleStoreError when the store implements another storage contract version
   * @throws RunNotFoundError when the store has no such run
   * @throws InvalidRunStateError when the run already ended SUCCESS or ERROR
   */
  cancel(options?: CancelOptions): Promise<RunInfo<TOutput>>;
}

/** Options of `run().status(ref).store(store).cancel(options)`. */
export interface CancelOptions {
  /** Why the run is cancelled; kept on the run (`RunInfo.cancelReason`) and in `RunCancelledError.reason`. */
  reason?: string;
}

/**
 * Starts a run query: `run().status(message).store(store).get()`, `.result()`, `.resume()`, `.sendEvent()` or
 * `.cancel()`.
 * Nothing is checked until one of those is called; they reject with the errors they list.
 */
export function run(): RunBuilder {
  return {
    status: <TOutput>(ref: RunRef<TOutput>) => ({
      store: (store: WorkflowStore) => createRunHandle<TOutput>(ref, store),
    }),
  };
}

function createRunHandle<TOutput>(ref: unknown, store: WorkflowStore): RunHandle<TOutput> {
  const prepare = (): string => {
    const runId = resolveRunId(ref);
    assertCompatibleStore(store);
    return runId;
  };
  return {
    async get() {
      const runId = prepare();
      const record = await store.getRun({ runId });
      if (record === null) throw new RunNotFoundError(runId);
      return toRunInfo<TOutput>(record, record.steps);
    },
    async result(options = {}) {
      const runId = prepare();
      return waitForResult<TOutput>({ store, runId, options });
    },
    async resume() {
      const runId = prepare();
      const resumed = await store.resumeRun({ runId });
      // resumeRun returns the run without its steps; a worker may already be on it, but steps only grow.
      const withSteps = await store.getRun({ runId });
      return toRunInfo<TOutput>(resumed, withSteps?.steps ?? []);
    },
    async sendEvent(name, payload) {
      const runId = prepare();
      return sendRunEvent({ store, runId, name, payload });
    },
    async cancel(options = {}) {
      const runId = prepare();
      const { reason } = options;
      if (reason !== undefined && typeof reason !== "string") {
        throw new ConfigurationError({ option: "reason", message: `cancel() option reason must be a string; got a ${typeof reason}` });
      }
      const cancelled = await store.cancelRun(reason === undefined ? { runId } : { runId, reason });
      // cancelRun returns the run without its steps; they never change once it is final, and only grow before.
      const withSteps = await store.getRun({ runId });
      return toRunInfo<TOutput>(cancelled, withSteps?.steps ?? []);
    },
  };
}
