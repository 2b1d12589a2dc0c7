import { LeaseExpiredError } from "../errors/lease-expired-error";
import { LeaseLostError } from "../errors/lease-lost-error";
import { InvalidInputError } from "../errors/invalid-input-error";
import { InvalidOutputError } from "../errors/invalid-output-error";
import { PermanentError } from "../errors/permanent-error";
import { RunCancelledError } from "../errors/run-cancelled-error";
import { toStoredError } from "../errors/to-stored-error";
import { defaultMaxPayloadBytes, toJsonValue } from "../json/to-json-value";
import type { JsonValue } from "../storage/types";
import { validateSchema } from "../workflow/validate-schema";
import type { Logger } from "../workflow/types";
import { createAttemptState, type AttemptState } from "./attempt-state";
import { createContext } from "./create-context";
import { decideFailure, type FailureDecision } from "./decide-failure";
import { silentLogger, withFields } from "./silent-logger";
import type { ExecuteRunOptions, RunOutcome } from "./types";
import { linkSignal, waitForAbort } from "./wait-for-abort";

type HandlerResult = { kind: "returned"; value: unknown } | { kind: "threw"; error: unknown };

interface Attempt {
  options: ExecuteRunOptions;
  state: AttemptState;
  controller: AbortController;
  logger: Logger;
  /** Monotonic milliseconds. */
  now: () => number;
  /** The store's clock: the run's `claimedAt` plus the monotonic time since this attempt started. */
  storeNow: () => number;
  /** Set as soon as the handler's return value (or its promise) settles, so a stop right after it does not win. */
  handlerSettled: boolean;
}

/**
 * Runs one delivery of a claimed run and records how it ended: the only place the rules of SPEC §4–§6
 * live. It replays stored steps, runs the handler, classifies what it threw (pause, permanent, transient
 * charged to a step or to the run) and writes exactly one outcome through the store, fenced by the lease.
 *
 * - Lease lost (the store refused a write, or `signal` aborted with `LeaseLostError`): writes nothing more,
 *   `LEASE_LOST`.
 * - Cancel (a step write said the run's cancel was requested, `signal` aborted with `RunCancelledError`, or
 *   the claimed run carries `cancelRequested`): ends the run with `acknowledgeCancel`, `CANCELLED`. Output
 *   already stored stays; a handler that settled first keeps its outcome.
 * - Shutdown (`signal` aborted with another reason, e.g. `WorkerStoppingError`) before the handler settles:
 *   stops waiting for it, hands the run back with `releaseRun`, `RELEASED`.
 *
 * @throws the store's error when recording the outcome fails for another reason than a lost lease (the
 *   lease then lapses and the run is recovered like a crash)
 */
export async function executeRun(options: ExecuteRunOptions): Promise<RunOutcome> {
  const { run, workflow } = options;
  const controller = new AbortController();
  const unlink = linkSignal(options.signal, controller);
  const logger = withFields(options.logger ?? silentLogger, { runId: run.runId, workflow: workflow.name, attempt: run.attempt });
  const now = options.now ?? (() => performance.now());
  const startedAt = now();
  const storeNow = (): number => storeClockAt(run) + Math.max(0, Math.floor(now() - startedAt));
  const attempt: Attempt = { options, state: createAttemptState(run.steps), controller, logger, now, storeNow, handlerSettled: false };
  try {
    if (controller.signal.aborted) return await stop(attempt, controller.signal.reason);
    // Cancelled while a worker that died or let go held it: end it without running the handler.
    if (run.cancelRequested) return await stop(attempt, new RunCancelledError({ runId: run.runId }));
    if (run.runFailures >= workflow.retry.maxAttempts) {
      const error = new LeaseExpiredError({ runId: run.runId, failures: run.runFailures, maxAttempts: workflow.retry.maxAttempts });
      return await fail(attempt, { kind: "fail", error: toStoredError(error, { attempt: run.attempt }), reason: "exhausted" });
    }
    logger.debug({ resumedFromPause: run.resumedFromPause, storedSteps: run.steps.length }, "run started");
    const aborted = waitForAbort(controller.signal);
    const handling = runHandler(attempt);
    const first = await Promise.race([handling, aborted.promise]).finally(() => aborted.dispose());
    // The handler finished in the same turn as the stop: its result stands, unless one of its own steps
    // stopped it (a cancel or lost lease seen at a step write), which no later return can undo.
    const stoppedByStep = first.kind === "aborted" && attempt.state.closedBy === first.reason;
    const result = first.kind === "aborted" && attempt.handlerSettled && !stoppedByStep ? await handling : first;
    if (result.kind === "aborted") return await stop(attempt, result.reason);
    // A handler that threw because the worker aborted ctx.signal is stopped, not failed.
    if (result.kind === "threw" && controller.signal.aborted) return await stop(attempt, controller.signal.reason);
    if (attempt.state.leaseLost !== undefined) return leaseLost(attempt);
    if (result.kind === "threw") return await recordFailure(attempt, result.error);
    return await finish(attempt, result.value);
  } finally {
    close(attempt.state);
    unlink();
  }
}

/** The run's `claimedAt`, checked, so a store that leaves it out fails the sleep or wait that needs it clearly. */
function storeClockAt(run: ExecuteRunOptions["run"]): number {
  const claimedAt: unknown = run.claimedAt;
  if (!(claimedAt instanceof Date) || !Number.isFinite(claimedAt.getTime())) {
    throw new PermanentError(
      `the store's claimRuns returned run ${run.runId} without a valid claimedAt, which ctx.sleep and ctx.waitForEvent need; update the store to storage contract v1 with claimedAt`,
    );
  }
  return claimedAt.getTime();
}

async function runHandler(attempt: Attempt): Promise<HandlerResult> {
  const { options, state, controller, logger } = attempt;
  const { run, workflow } = options;
  try {
    let input: unknown = run.input;
    if (workflow.input !== undefined) {
      const checked = await validateSchema(workflow.input, run.input);
      if (checked.issues !== undefined) throw new InvalidInputError({ workflow: workflow.name, issues: checked.issues });
      input = checked.value;
    }
    const context = createContext({
      store: options.store,
      run,
      workflow,
      state,
      controller,
      logger,
      maxPayloadBytes: options.maxPayloadBytes ?? defaultMaxPayloadBytes,
      now: attempt.now,
      storeNow: attempt.storeNow,
      onStep: options.onStep ?? (() => undefined),
    });
    const returned: unknown = options.handler(context, input);
    if (isThenable(returned)) returned.then(() => handlerSettled(attempt), () => handlerSettled(attempt));
    else handlerSettled(attempt);
    const value: unknown = await returned;
    return { kind: "returned", value };
  } catch (error) {
    // Thrown synchronously, or before the handler was called (bad input): nothing of it runs any more.
    handlerSettled(attempt);
    return { kind: "threw", error };
  }
}

/** Records, once, that the handler is no longer running, and tells `onHandlerSettled`. */
function handlerSettled(attempt: Attempt): void {
  if (attempt.handlerSettled) return;
  attempt.handlerSettled = true;
  try {
    attempt.options.onHandlerSettled?.();
  } catch (error) {
    attempt.logger.warn({ error: String(error) }, "onHandlerSettled listener threw; ignored");
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/** The handler returned: check its output, then complete the run. */
async function finish(attempt: Attempt, value: unknown): Promise<RunOutcome> {
  const { options, state } = attempt;
  const { run, workflow, store } = options;
  let output: JsonValue | undefined;
  try {
    if (state.inFlight !== undefined) {
      throw new PermanentError(
        `the handler of run ${run.runId} returned while step "${state.inFlight}" was still running; await every ctx.step before returning`,
      );
    }
    let checked = value;
    if (workflow.output !== undefined) {
      const result = await validateSchema(workflow.output, value);
      if (result.issues !== undefined) throw new InvalidOutputError({ workflow: workflow.name, issues: result.issues });
      checked = result.value;
    }
    output = toJsonValue(checked, { path: "output", maxBytes: options.maxPayloadBytes ?? defaultMaxPayloadBytes, allowUndefined: true });
  } catch (error) {
    return await recordFailure(attempt, error);
  }
  close(state);
  const refused = await fenced(attempt, () => store.completeRun({ runId: run.runId, leaseToken: run.leaseToken, output }));
  if (refused) return refused;
  attempt.logger.info({ status: "SUCCESS" }, "run succeeded");
  return { status: "SUCCESS" };
}

async function recordFailure(attempt: Attempt, error: unknown): Promise<RunOutcome> {
  const { options, state } = attempt;
  const decision = decideFailure({ error, run: options.run, workflow: options.workflow, state, random: options.random ?? Math.random });
  switch (decision.kind) {
    case "pause":
      return await pause(attempt, decision);
    case "fail":
      return await fail(attempt, decision);
    case "retry":
      return await retry(attempt, decision);
  }
}

async function pause(attempt: Attempt, decision: Extract<FailureDecision, { kind: "pause" }>): Promise<RunOutcome> {
  const { run, store } = attempt.options;
  const { delayMs, until, reason, waitEvent } = decision.request;
  close(attempt.state);
  const refused = await fenced(attempt, () =>
    store.pauseRun({
      runId: run.runId,
      leaseToken: run.leaseToken,
      ...(until === undefined ? { delayMs: delayMs ?? 0 } : { until }),
      ...(reason === undefined ? {} : { reason }),
      ...(waitEvent === undefined ? {} : { waitEvent }),
    }),
  );
  if (refused) return refused;
  attempt.logger.info({ status: "PAUSED", delayMs, until: until?.toISOString(), reason }, "run paused");
  return { status: "PAUSED", reason };
}

async function fail(attempt: Attempt, decision: Extract<FailureDecision, { kind: "fail" }>): Promise<RunOutcome> {
  const { run, store } = attempt.options;
  close(attempt.state);
  const refused = await fenced(attempt, () => store.failRun({ runId: run.runId, leaseToken: run.leaseToken, error: decision.error }));
  if (refused) return refused;
  attempt.logger.warn(
    { status: "ERROR", stepId: decision.error.stepId, reason: decision.reason, errorName: decision.error.name, errorMessage: decision.error.message },
    decision.reason === "permanent" ? "run failed permanently" : "run failed; retries exhausted",
  );
  return { status: "ERROR", error: decision.error };
}

async function retry(attempt: Attempt, decision: Extract<FailureDecision, { kind: "retry" }>): Promise<RunOutcome> {
  const { run, store } = attempt.options;
  const { error, delayMs, stepId } = decision;
  close(attempt.state);
  const refused = await fenced(attempt, () =>
    store.retryRun({ runId: run.runId, leaseToken: run.leaseToken, error, delayMs, ...(stepId === undefined ? {} : { stepId }) }),
  );
  if (refused) return refused;
  attempt.logger.warn(
    { status: "QUEUED", stepId, failures: decision.failures, delayMs, errorName: error.name, errorMessage: error.message },
    "run failed; retrying",
  );
  return { status: "QUEUED", error, delayMs };
}

/** The attempt was stopped: lease lost (write nothing), cancel (end CANCELLED) or shutdown (release the run). */
async function stop(attempt: Attempt, reason: unknown): Promise<RunOutcome> {
  const { run, store } = attempt.options;
  close(attempt.state, reason);
  if (LeaseLostError.isInstance(reason)) return leaseLost(attempt);
  if (RunCancelledError.isInstance(reason)) {
    const refused = await fenced(attempt, () => store.acknowledgeCancel({ runId: run.runId, leaseToken: run.leaseToken }));
    if (refused) return refused;
    attempt.logger.info({ status: "CANCELLED" }, "run cancelled");
    return { status: "CANCELLED" };
  }
  const refused = await fenced(attempt, () => store.releaseRun({ runId: run.runId, leaseToken: run.leaseToken }));
  if (refused) return refused;
  attempt.logger.info({ status: "RELEASED" }, "run released for another worker");
  return { status: "RELEASED" };
}

function leaseLost(attempt: Attempt): RunOutcome {
  attempt.logger.warn({ status: "LEASE_LOST" }, "lease lost; another worker owns the run, nothing more was written");
  return { status: "LEASE_LOST" };
}

/** Runs a fenced write; a refused one (lease gone) yields the `LEASE_LOST` outcome, other errors propagate. */
async function fenced(attempt: Attempt, write: () => Promise<void>): Promise<RunOutcome | undefined> {
  try {
    await write();
    return undefined;
  } catch (error) {
    if (LeaseLostError.isInstance(error)) return leaseLost(attempt);
    throw error;
  }
}

/** Ends the attempt: later step calls (a handler left running) fail with `reason` and write nothing. */
function close(state: AttemptState, reason?: unknown): void {
  if (state.closed) return;
  if (reason instanceof Error) state.closedBy = reason;
  else state.closeWith(() => new PermanentError("this attempt of the run is over; a step called after the handler settled was not run"));
}
