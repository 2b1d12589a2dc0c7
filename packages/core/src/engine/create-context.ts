import { ConcurrentStepError } from "../errors/concurrent-step-error";
import { ConfigurationError } from "../errors/configuration-error";
import { DuplicateStepError } from "../errors/duplicate-step-error";
import { LeaseLostError } from "../errors/lease-lost-error";
import { toJsonValue } from "../json/to-json-value";
import { assertStepId } from "../names";
import { resolveRetryPolicy } from "../retry/resolve-retry-policy";
import type { ClaimedRun, JsonValue } from "../storage/types";
import type { WorkflowStore } from "../storage/workflow-store";
import type { AnyWorkflowDefinition, Logger, StepOptions, WorkflowContext } from "../workflow/types";
import type { AttemptState } from "./attempt-state";
import type { StepEvent } from "./types";

/** What {@link createContext} needs. */
export interface ContextOptions {
  store: WorkflowStore;
  run: ClaimedRun;
  workflow: AnyWorkflowDefinition;
  state: AttemptState;
  /** Aborted on lease loss or shutdown; the engine aborts it on a refused step write. */
  controller: AbortController;
  logger: Logger;
  maxPayloadBytes: number;
  now: () => number;
  onStep: (event: StepEvent) => void;
}

/** Builds the `ctx` a handler receives for one attempt. */
export function createContext(options: ContextOptions): WorkflowContext {
  const { run, workflow, controller, logger } = options;
  return Object.freeze({
    runId: run.runId,
    workflow: workflow.name,
    attempt: run.attempt,
    signal: controller.signal,
    logger,
    step: <T>(id: string, fn: () => T | Promise<T>, stepOptions?: StepOptions) => runStep<T>(options, { id, fn, stepOptions }),
  });
}

interface StepCall<T> {
  id: string;
  fn: () => T | Promise<T>;
  stepOptions: StepOptions | undefined;
}

async function runStep<T>(options: ContextOptions, call: StepCall<T>): Promise<T> {
  const { state } = options;
  try {
    return await runCheckedStep(options, call);
  } catch (error) {
    // Remember which step threw what, so the outcome can charge the failure to that step's count.
    if (typeof call.id === "string") state.stepErrors.push({ error, stepId: call.id });
    throw error;
  }
}

async function runCheckedStep<T>(options: ContextOptions, call: StepCall<T>): Promise<T> {
  const { state, run, workflow } = options;
  const { id, fn } = call;
  if (state.closedBy !== undefined) throw state.closedBy;
  assertStepId(id);
  if (typeof fn !== "function") {
    throw new ConfigurationError({ option: "fn", message: `ctx.step("${id}", fn) needs a function as fn, got ${typeof fn}` });
  }
  const policy = resolveRetryPolicy(call.stepOptions?.retry, workflow.retry);
  if (state.seen.has(id)) throw new DuplicateStepError({ runId: run.runId, stepId: id });
  if (state.inFlight !== undefined) throw new ConcurrentStepError({ runId: run.runId, stepId: id, runningStepId: state.inFlight });
  state.seen.add(id);
  state.stepPolicies.set(id, policy);
  if (state.outputs.has(id)) {
    report(options, { runId: run.runId, stepId: id, durationMs: 0, replayed: true, ok: true });
    return cloneJson(state.outputs.get(id)) as T;
  }
  state.inFlight = id;
  const startedAt = options.now();
  try {
    const output = await executeStep(options, call);
    report(options, { runId: run.runId, stepId: id, durationMs: options.now() - startedAt, replayed: false, ok: true });
    return output;
  } catch (error) {
    report(options, { runId: run.runId, stepId: id, durationMs: options.now() - startedAt, replayed: false, ok: false });
    throw error;
  } finally {
    state.inFlight = undefined;
  }
}

async function executeStep<T>(options: ContextOptions, call: StepCall<T>): Promise<T> {
  const { state, run, store } = options;
  options.logger.debug({ stepId: call.id }, "step started");
  const value = await call.fn();
  // The attempt ended while fn ran (shutdown, lease lost, handler gone): its output must not be written.
  if (state.closedBy !== undefined) throw state.closedBy;
  const output = toJsonValue(value, { path: `step "${call.id}" output`, maxBytes: options.maxPayloadBytes, allowUndefined: true });
  let saved: { output: JsonValue | undefined; created: boolean };
  try {
    saved = await store.saveStep({ runId: run.runId, leaseToken: run.leaseToken, stepId: call.id, output });
  } catch (error) {
    if (LeaseLostError.isInstance(error)) {
      state.leaseLost = error;
      state.closedBy = error;
      options.controller.abort(error);
    }
    throw error;
  }
  state.outputs.set(call.id, saved.output);
  options.logger.debug({ stepId: call.id, created: saved.created }, "step stored");
  // Hand back the stored JSON, so the first run and every replay see the same value.
  return cloneJson(saved.output) as T;
}

function report(options: ContextOptions, event: StepEvent): void {
  try {
    options.onStep(event);
  } catch (error) {
    options.logger.warn({ stepId: event.stepId, error: String(error) }, "onStep listener threw; ignored");
  }
}

function cloneJson(value: JsonValue | undefined): JsonValue | undefined {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as JsonValue);
}
