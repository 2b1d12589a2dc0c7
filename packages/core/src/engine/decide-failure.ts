import { PauseRequest } from "../errors/pause-request";
import { PgqrsError } from "../errors/pgqrs-error";
import { TransientError } from "../errors/transient-error";
import { toStoredError } from "../errors/to-stored-error";
import { backoffDelayMs } from "../retry/backoff-delay";
import type { ClaimedRun, StoredError } from "../storage/types";
import type { AnyWorkflowDefinition } from "../workflow/types";
import { findFailedStep, type AttemptState } from "./attempt-state";

/** What to record for a handler that threw. */
export type FailureDecision =
  | { kind: "pause"; request: PauseRequest }
  | { kind: "fail"; error: StoredError; reason: "permanent" | "exhausted" }
  | { kind: "retry"; error: StoredError; delayMs: number; stepId: string | undefined; failures: number };

/** Codes of errors no retry can fix: the user said so, or the code or its data is wrong. */
const permanentCodes: ReadonlySet<string> = new Set([
  "PERMANENT",
  "INVALID_OUTPUT",
  "INVALID_INPUT",
  "NOT_JSON",
  "PAYLOAD_TOO_LARGE",
  "DUPLICATE_STEP",
  "CONCURRENT_STEP",
  "INVALID_NAME",
  "CONFIGURATION",
  // A replay of the wait would time out again: its deadline and the missing event are stored facts.
  "EVENT_TIMEOUT",
]);

/** True for an error that ends the run ERROR at once. */
export function isPermanent(error: unknown): boolean {
  return PgqrsError.isInstance(error) && permanentCodes.has(error.code);
}

/**
 * Classifies a thrown value (SPEC §6): a pause request pauses; a permanent error fails the run; anything
 * else is transient and counted — on the step that threw it against that step's policy, or on the run
 * against the workflow's — and retried with backoff until the count reaches `maxAttempts`.
 */
export function decideFailure(options: {
  error: unknown;
  run: ClaimedRun;
  workflow: AnyWorkflowDefinition;
  state: AttemptState;
  random: () => number;
}): FailureDecision {
  const { error, run, workflow, state } = options;
  if (PauseRequest.isInstance(error)) return { kind: "pause", request: error };
  const stepId = findFailedStep(state, error);
  const stored = toStoredError(error, { attempt: run.attempt, ...(stepId === undefined ? {} : { stepId }) });
  if (isPermanent(error)) return { kind: "fail", error: stored, reason: "permanent" };
  const policy = (stepId === undefined ? undefined : state.stepPolicies.get(stepId)) ?? workflow.retry;
  const failures = (stepId === undefined ? run.runFailures : (run.stepFailures[stepId] ?? 0)) + 1;
  if (failures >= policy.maxAttempts) return { kind: "fail", error: stored, reason: "exhausted" };
  const retryAfterMs = TransientError.isInstance(error) ? error.retryAfterMs : undefined;
  const delayMs =
    typeof retryAfterMs === "number" && Number.isFinite(retryAfterMs) && retryAfterMs >= 0
      ? Math.ceil(retryAfterMs)
      : backoffDelayMs({ policy, failure: failures, random: options.random });
  return { kind: "retry", error: stored, delayMs, stepId, failures };
}
