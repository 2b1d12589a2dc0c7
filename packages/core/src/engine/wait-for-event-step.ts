import { ConfigurationError } from "../errors/configuration-error";
import { EventTimeoutError } from "../errors/event-timeout-error";
import { PauseRequest } from "../errors/pause-request";
import { PermanentError } from "../errors/permanent-error";
import { assertEventName, assertStepId } from "../names";
import type { JsonValue } from "../storage/types";
import type { ContextOptions } from "./context-options";
import { beginStep, cloneJson, runDurableStep } from "./step-boundary";

/** The pause of a wait without a timeout: it ends only when the event is sent (or the run is resumed). */
const noDeadline = new Date("9999-12-31T00:00:00.000Z");

/**
 * `ctx.waitForEvent(id, name, { timeoutMs })`: stores `{ waitingFor, until }` under `id` the first time, then
 * reads the event. The outcome depends on stored, immutable facts only: an event sent at or before `until`
 * (or at any time without a timeout) is returned; once the store clock reaches `until`, the wait times out;
 * otherwise the run pauses until `until` or until the event is sent, whichever comes first.
 * @throws EventTimeoutError when the timeout passed first
 * @throws ConfigurationError for an invalid `timeoutMs`; InvalidNameError for an invalid id or event name
 */
export async function runWaitForEvent<T>(
  options: ContextOptions,
  call: { id: string; name: string; waitOptions: { timeoutMs?: number } | undefined },
): Promise<T> {
  const { state, run, store } = options;
  const { id, name } = call;
  if (state.closedBy !== undefined) throw state.closedBy;
  assertStepId(id);
  assertEventName(name);
  const timeoutMs = checkTimeout(id, call.waitOptions);
  beginStep(options, id);
  return await runDurableStep(options, {
    id,
    record: () => ({
      waitingFor: name,
      until: timeoutMs === undefined ? null : new Date(options.storeNow() + Math.ceil(timeoutMs)).toISOString(),
    }),
    resolve: async (stored) => {
      const until = readWaitUntil(stored, { runId: run.runId, stepId: id, name });
      const event = await store.getEvent({ runId: run.runId, name });
      if (event !== null && (until === null || event.sentAt.getTime() <= until.getTime())) return cloneJson(event.payload) as T;
      if (until !== null && options.storeNow() >= until.getTime()) {
        throw new EventTimeoutError({ runId: run.runId, stepId: id, eventName: name, timeoutMs: timeoutMs ?? 0 });
      }
      throw new PauseRequest({
        until: until ?? noDeadline,
        reason: `waiting for event "${name}" (ctx.waitForEvent "${id}")`,
        waitEvent: name,
      });
    },
  });
}

function checkTimeout(id: string, waitOptions: unknown): number | undefined {
  if (waitOptions === undefined) return undefined;
  if (typeof waitOptions !== "object" || waitOptions === null) {
    throw new ConfigurationError({
      option: "options",
      message: `ctx.waitForEvent("${id}", name, options) needs options to be an object such as { timeoutMs: 60000 }, got ${String(waitOptions)}`,
    });
  }
  const timeoutMs: unknown = (waitOptions as { timeoutMs?: unknown }).timeoutMs;
  if (timeoutMs === undefined) return undefined;
  if (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new ConfigurationError({
      option: "timeoutMs",
      message: `ctx.waitForEvent("${id}", name, { timeoutMs }) needs a finite number of milliseconds >= 0, got ${String(timeoutMs)}`,
    });
  }
  return timeoutMs;
}

/**
 * The deadline stored under a wait's id (`null`: no timeout).
 * @throws PermanentError when the stored output is not a wait for this event (the code changed)
 */
function readWaitUntil(stored: JsonValue | undefined, where: { runId: string; stepId: string; name: string }): Date | null {
  const record = typeof stored === "object" && stored !== null && !Array.isArray(stored) ? stored : undefined;
  const waitingFor = record?.["waitingFor"];
  const until = record?.["until"];
  const deadline = typeof until === "string" ? new Date(until) : null;
  const valid = typeof waitingFor === "string" && (until === null || (deadline !== null && Number.isFinite(deadline.getTime())));
  if (!valid) {
    throw new PermanentError(
      `step "${where.stepId}" of run ${where.runId} has a stored output that is not a ctx.waitForEvent record ({ waitingFor, until }): the workflow's code changed and reused a step id for a wait; give the wait a new id`,
      { data: { stepId: where.stepId } },
    );
  }
  if (waitingFor !== where.name) {
    throw new PermanentError(
      `step "${where.stepId}" of run ${where.runId} waited for event "${waitingFor}", but the code now waits for "${where.name}" under the same id; give the new wait a new id`,
      { data: { stepId: where.stepId, storedEvent: waitingFor, event: where.name } },
    );
  }
  return deadline;
}
