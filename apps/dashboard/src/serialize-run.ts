import type { RunRecord, RunWithSteps, StoredError } from "@pgqrs/core/storage";
import type { ApiError, ApiRunDetail, ApiRunSummary, ApiStep } from "./api-types";
import { toPayload } from "./payload";

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

function errorSummary(error: StoredError | null): string | null {
  return error === null ? null : `${error.name}: ${error.message}`;
}

/** A run as a row of the runs table. */
export function toRunSummary(run: RunRecord): ApiRunSummary {
  return {
    runId: run.runId,
    messageId: run.messageId,
    workflow: run.workflow,
    status: run.status,
    attempt: run.attempt,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    visibleAt: iso(run.visibleAt),
    errorSummary: errorSummary(run.error),
    pauseReason: run.pauseReason,
    cancelRequestedAt: iso(run.cancelRequestedAt),
    cancelReason: run.cancelReason,
  };
}

function toApiError(error: StoredError): ApiError {
  return {
    name: error.name,
    message: error.message,
    code: error.code ?? null,
    attempt: error.attempt,
    stepId: error.stepId ?? null,
    data: toPayload(error.data),
    stack: error.stack ?? null,
    causes: (error.causes ?? []).map((cause) => ({ name: cause.name, message: cause.message })),
  };
}

function toSteps(run: RunWithSteps): ApiStep[] {
  // Steps come in completion order; each one's duration is measured from the one before it, the first from the
  // run's first claim (a run that waited in a pause between steps shows that wait on the next step).
  let previous: Date | null = run.startedAt;
  return run.steps.map((step) => {
    const sincePreviousMs = previous === null ? null : Math.max(0, step.completedAt.getTime() - previous.getTime());
    previous = step.completedAt;
    return {
      stepId: step.stepId,
      completedAt: step.completedAt.toISOString(),
      sincePreviousMs,
      output: toPayload(step.output),
    };
  });
}

/** A run with everything the run page shows. */
export function toRunDetail(run: RunWithSteps): ApiRunDetail {
  return {
    ...toRunSummary(run),
    input: toPayload(run.input),
    output: toPayload(run.output),
    error: run.error === null ? null : toApiError(run.error),
    runFailures: run.runFailures,
    stepFailures: { ...run.stepFailures },
    leaseExpiresAt: iso(run.leaseExpiresAt),
    steps: toSteps(run),
  };
}
