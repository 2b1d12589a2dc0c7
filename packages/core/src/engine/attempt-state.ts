import type { JsonValue } from "../storage/types";
import type { RetryPolicy } from "../workflow/types";

/** What one attempt of a run has seen so far; shared by the context and the outcome logic. */
export interface AttemptState {
  /** Stored outputs by step id: the claimed run's steps, then the ones saved in this attempt. */
  readonly outputs: Map<string, JsonValue | undefined>;
  /** Step ids called in this attempt. */
  readonly seen: Set<string>;
  /** The policy of each step called in this attempt (its `retry` over the workflow's). */
  readonly stepPolicies: Map<string, RetryPolicy>;
  /** Values thrown out of `ctx.step`, newest last, to charge a failure to the step that threw it. */
  readonly stepErrors: { error: unknown; stepId: string }[];
  /** The step running now. */
  inFlight: string | undefined;
  /** Set once the attempt may write no more: the reason any later step call fails with. */
  closedBy: Error | undefined;
  /** Whether `closedBy` is set, without building a lazily given reason. */
  readonly closed: boolean;
  /**
   * Closes the attempt, unless it is closed already, with a reason built only if a later step call needs it (most
   * attempts end with none: the error and its stack would be built for nothing).
   */
  closeWith(reason: () => Error): void;
  /** Set when the store refused a write because the lease is gone. */
  leaseLost: Error | undefined;
}

/** A fresh state for a delivery that replays `steps`. */
export function createAttemptState(steps: readonly { stepId: string; output: JsonValue | undefined }[]): AttemptState {
  let closedBy: Error | (() => Error) | undefined;
  return {
    outputs: new Map(steps.map((step) => [step.stepId, step.output])),
    seen: new Set(),
    stepPolicies: new Map(),
    stepErrors: [],
    inFlight: undefined,
    get closedBy() {
      if (typeof closedBy === "function") closedBy = closedBy();
      return closedBy;
    },
    set closedBy(reason) {
      closedBy = reason;
    },
    get closed() {
      return closedBy !== undefined;
    },
    closeWith(reason) {
      closedBy ??= reason;
    },
    leaseLost: undefined,
  };
}

const maxCauseDepth = 10;

/**
 * The step a thrown value came from: the value itself or one of its causes (a handler that wraps a step's
 * error still charges the step), or `undefined` when no step threw it.
 */
export function findFailedStep(state: AttemptState, error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < maxCauseDepth && current !== undefined; depth += 1) {
    for (let index = state.stepErrors.length - 1; index >= 0; index -= 1) {
      const entry = state.stepErrors[index];
      if (entry !== undefined && entry.error === current) return entry.stepId;
    }
    current = typeof current === "object" && current !== null ? (current as { cause?: unknown }).cause : undefined;
  }
  return undefined;
}
