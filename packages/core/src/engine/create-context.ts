import { ConfigurationError } from "../errors/configuration-error";
import { toJsonValue } from "../json/to-json-value";
import { assertStepId } from "../names";
import { resolveRetryPolicy } from "../retry/resolve-retry-policy";
import type { StepOptions, WorkflowContext } from "../workflow/types";
import type { ContextOptions } from "./context-options";
import { runSleep } from "./sleep-step";
import { beginStep, cloneJson, report, saveStepOutput } from "./step-boundary";
import { runWaitForEvent } from "./wait-for-event-step";

export type { ContextOptions } from "./context-options";

/** Builds the `ctx` a handler receives for one attempt. */
export function createContext(options: ContextOptions): WorkflowContext {
  const { run, workflow, controller, logger } = options;
  return Object.freeze({
    runId: run.runId,
    workflow: workflow.name,
    attempt: run.attempt,
    signal: controller.signal,
    logger,
    step: <T>(id: string, fn: () => T | Promise<T>, stepOptions?: StepOptions) =>
      tracked(options, id, () => runCheckedStep<T>(options, { id, fn, stepOptions })),
    sleep: (id: string, duration: number | { until: Date }) => tracked(options, id, () => runSleep(options, { id, duration })),
    waitForEvent: <T>(id: string, name: string, waitOptions?: { timeoutMs?: number }) =>
      tracked(options, id, () => runWaitForEvent<T>(options, { id, name, waitOptions })),
  });
}

interface StepCall<T> {
  id: string;
  fn: () => T | Promise<T>;
  stepOptions: StepOptions | undefined;
}

/** Runs one kind of step, remembering which step threw what, so the outcome can charge that step's count. */
async function tracked<T>(options: ContextOptions, id: unknown, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (typeof id === "string") options.state.stepErrors.push({ error, stepId: id });
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
  beginStep(options, id, resolveRetryPolicy(call.stepOptions?.retry, workflow.retry));
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
  const { state } = options;
  options.logger.debug({ stepId: call.id }, "step started");
  const value = await call.fn();
  // The attempt ended while fn ran (shutdown, lease lost, handler gone): its output must not be written.
  if (state.closedBy !== undefined) throw state.closedBy;
  const output = toJsonValue(value, { path: `step "${call.id}" output`, maxBytes: options.maxPayloadBytes, allowUndefined: true });
  // Hand back the stored JSON, so the first run and every replay see the same value.
  return cloneJson(await saveStepOutput(options, call.id, output)) as T;
}
