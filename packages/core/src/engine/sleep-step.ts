import { ConfigurationError } from "../errors/configuration-error";
import { PauseRequest } from "../errors/pause-request";
import { PermanentError } from "../errors/permanent-error";
import { assertStepId } from "../names";
import type { JsonValue } from "../storage/types";
import type { ContextOptions } from "./context-options";
import { beginStep, runDurableStep } from "./step-boundary";

/**
 * `ctx.sleep(id, ms | { until })`: stores `{ sleepUntil }` under `id` the first time (on the store's clock),
 * returns once the store clock has reached it, and otherwise pauses the run until then. The stored deadline
 * wins on every replay, so a crash, a restart or an early `resume()` never lengthens or repeats the sleep.
 * @throws ConfigurationError for a negative or non-finite duration or an invalid `until`
 */
export async function runSleep(options: ContextOptions, call: { id: string; duration: number | { until: Date } }): Promise<void> {
  const { state, run } = options;
  const { id } = call;
  if (state.closedBy !== undefined) throw state.closedBy;
  assertStepId(id);
  const deadlineFrom = checkDuration(id, call.duration);
  beginStep(options, id);
  await runDurableStep(options, {
    id,
    record: () => ({ sleepUntil: new Date(deadlineFrom(options.storeNow())).toISOString() }),
    resolve: (stored) => {
      const until = readSleepUntil(stored, { runId: run.runId, stepId: id });
      if (options.storeNow() >= until.getTime()) return;
      throw new PauseRequest({ until, reason: `sleeping until ${until.toISOString()} (ctx.sleep "${id}")` });
    },
  });
}

/** Validates the duration; returns the deadline (epoch ms) for a given store time. */
function checkDuration(id: string, duration: unknown): (storeNow: number) => number {
  if (typeof duration === "number") {
    if (!Number.isFinite(duration) || duration < 0) {
      throw new ConfigurationError({
        option: "duration",
        message: `ctx.sleep("${id}", ms) needs a finite number of milliseconds >= 0, got ${String(duration)}`,
      });
    }
    return (storeNow) => storeNow + Math.ceil(duration);
  }
  const until: unknown = typeof duration === "object" && duration !== null ? (duration as { until?: unknown }).until : undefined;
  if (!(until instanceof Date) || !Number.isFinite(until.getTime())) {
    throw new ConfigurationError({
      option: "until",
      message: `ctx.sleep("${id}", duration) needs a number of milliseconds or { until: Date } with a valid Date, got ${describe(duration)}`,
    });
  }
  const at = until.getTime();
  return () => at;
}

function describe(value: unknown): string {
  if (value === null || typeof value !== "object") return String(value);
  const until = (value as { until?: unknown }).until;
  return until instanceof Date ? "{ until: Invalid Date }" : `{ until: ${typeof until} }`;
}

/**
 * The deadline stored under a sleep's id.
 * @throws PermanentError when the stored output is not a sleep's (the code changed: the id was a step's)
 */
function readSleepUntil(stored: JsonValue | undefined, where: { runId: string; stepId: string }): Date {
  const sleepUntil = typeof stored === "object" && stored !== null && !Array.isArray(stored) ? stored["sleepUntil"] : undefined;
  const until = typeof sleepUntil === "string" ? new Date(sleepUntil) : undefined;
  if (until === undefined || !Number.isFinite(until.getTime())) {
    throw new PermanentError(
      `step "${where.stepId}" of run ${where.runId} has a stored output that is not a ctx.sleep deadline ({ sleepUntil }): the workflow's code changed and reused a step id for a sleep; give the sleep a new id`,
      { data: { stepId: where.stepId } },
    );
  }
  return until;
}
