import { ConcurrentStepError } from "../errors/concurrent-step-error";
import { DuplicateStepError } from "../errors/duplicate-step-error";
import { LeaseLostError } from "../errors/lease-lost-error";
import { PauseRequest } from "../errors/pause-request";
import { RunCancelledError } from "../errors/run-cancelled-error";
import type { JsonValue } from "../storage/types";
import type { RetryPolicy } from "../workflow/types";
import type { ContextOptions } from "./context-options";
import type { StepEvent } from "./types";

/**
 * Claims `id` for this attempt under the rules every kind of step shares (`ctx.step`, `ctx.sleep`,
 * `ctx.waitForEvent`): an id is used once per attempt, and one step runs at a time.
 * @throws DuplicateStepError when `id` was used before in this attempt
 * @throws ConcurrentStepError when another step of this run is still running
 */
export function beginStep(options: ContextOptions, id: string, policy?: RetryPolicy): void {
  const { state, run } = options;
  if (state.seen.has(id)) throw new DuplicateStepError({ runId: run.runId, stepId: id });
  if (state.inFlight !== undefined) throw new ConcurrentStepError({ runId: run.runId, stepId: id, runningStepId: state.inFlight });
  state.seen.add(id);
  if (policy !== undefined) state.stepPolicies.set(id, policy);
}

/**
 * Stores a step's output, fenced, and returns the stored one (the first write wins). A refused write closes
 * the attempt as lease-lost. When the store says the run's cancel was requested, the output stays stored and
 * the attempt stops at this boundary: it is closed and `ctx.signal` aborts with `RunCancelledError`.
 * @throws LeaseLostError when the lease is gone; RunCancelledError when the run was cancelled
 */
export async function saveStepOutput(options: ContextOptions, stepId: string, output: JsonValue | undefined): Promise<JsonValue | undefined> {
  const { state, run, store } = options;
  let saved: Awaited<ReturnType<typeof store.saveStep>>;
  try {
    saved = await store.saveStep({ runId: run.runId, leaseToken: run.leaseToken, stepId, output });
  } catch (error) {
    if (LeaseLostError.isInstance(error)) {
      state.leaseLost = error;
      state.closedBy = error;
      options.controller.abort(error);
    }
    throw error;
  }
  state.outputs.set(stepId, saved.output);
  options.logger.debug({ stepId, created: saved.created }, "step stored");
  if (saved.cancelRequested) {
    const cancelled = new RunCancelledError({ runId: run.runId });
    state.closedBy ??= cancelled;
    options.controller.abort(cancelled);
    throw cancelled;
  }
  return saved.output;
}

/** A step whose stored output is a record the engine writes itself (`ctx.sleep`, `ctx.waitForEvent`). */
export interface DurableStep<T> {
  id: string;
  /** The record to store the first time the step is reached. */
  record: () => JsonValue;
  /** Turns the stored record (this attempt's or an earlier one's) into the step's result, pause or error. */
  resolve: (stored: JsonValue | undefined) => T | Promise<T>;
}

/**
 * Runs a durable step already claimed with {@link beginStep}: stores its record unless one is stored (first
 * write wins, so a replay keeps the original), then resolves it, with the step in flight throughout.
 */
export async function runDurableStep<T>(options: ContextOptions, step: DurableStep<T>): Promise<T> {
  const { state, run } = options;
  const replayed = state.outputs.has(step.id);
  const startedAt = options.now();
  const done = (ok: boolean): void =>
    report(options, { runId: run.runId, stepId: step.id, durationMs: options.now() - startedAt, replayed, ok });
  state.inFlight = step.id;
  try {
    const stored = replayed ? state.outputs.get(step.id) : await saveStepOutput(options, step.id, step.record());
    const value = await step.resolve(stored);
    done(true);
    return value;
  } catch (error) {
    // A pause is how a sleep or wait goes on later, not a failure.
    done(PauseRequest.isInstance(error));
    throw error;
  } finally {
    state.inFlight = undefined;
  }
}

/** Tells the `onStep` listener; a listener that throws is logged and ignored. */
export function report(options: ContextOptions, event: StepEvent): void {
  try {
    options.onStep(event);
  } catch (error) {
    options.logger.warn({ stepId: event.stepId, error: String(error) }, "onStep listener threw; ignored");
  }
}

/** A fresh copy of a stored JSON value, so the first run and every replay see equal, unshared values. */
export function cloneJson(value: JsonValue | undefined): JsonValue | undefined {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as JsonValue);
}
