import type { RunWithSteps, StoredError } from "@pgqrs/core/storage";
import { formatBytes, jsonByteLength } from "./bytes";
import { renderTable } from "./table";
import { formatTime } from "./time";

function errorLines(error: StoredError, final: boolean): string[] {
  // On a run that did not end ERROR the error is history: the one a retry recovered from.
  const lines = [`${final ? "error        " : "last error   "}${error.name}: ${error.message}`];
  const where = [`attempt ${error.attempt}`];
  if (error.stepId !== undefined) where.push(`step ${error.stepId}`);
  if (error.code !== undefined) where.push(`code ${error.code}`);
  lines.push(`             (${where.join(", ")})`);
  for (const cause of error.causes ?? []) lines.push(`  caused by  ${cause.name}: ${cause.message}`);
  if (error.data !== undefined) lines.push(`  data       ${JSON.stringify(error.data)}`);
  return lines;
}

/**
 * `pgqrs runs show` as text: status, attempts, timestamps, failure counts, the last error with its cause chain, and
 * every completed step with its completion time and output size.
 */
export function renderRunDetails(run: RunWithSteps): string[] {
  // Failures counted against the retry policies: each one scheduled a retry (or was a crash reclaimed).
  const failures = [
    ...(run.runFailures > 0 ? [`${run.runFailures} outside steps`] : []),
    ...Object.entries(run.stepFailures)
      .filter(([, count]) => count > 0)
      .map(([step, count]) => `${count} in ${step}`),
  ];
  const lines = [
    `run          ${run.runId}`,
    `workflow     ${run.workflow}`,
    `status       ${run.status}`,
    `attempts     ${run.attempt}`,
    `retries      ${failures.length === 0 ? "none" : failures.join(", ")}`,
    `message      ${run.messageId}`,
    `created      ${formatTime(run.createdAt)}`,
    `started      ${formatTime(run.startedAt)}`,
    `finished     ${formatTime(run.finishedAt)}`,
  ];
  if (run.visibleAt !== null) lines.push(`visible at   ${formatTime(run.visibleAt)}`);
  if (run.leaseExpiresAt !== null) lines.push(`lease ends   ${formatTime(run.leaseExpiresAt)}`);
  if (run.pauseReason !== null) lines.push(`paused for   ${run.pauseReason}`);
  if (run.cancelRequestedAt !== null) {
    // Still RUNNING: the request waits for the worker's next step boundary.
    const label = run.status === "CANCELLED" ? "cancelled    " : "cancel asked ";
    lines.push(`${label}${formatTime(run.cancelRequestedAt)}${run.cancelReason === null ? "" : ` (${run.cancelReason})`}`);
  }
  lines.push(`input        ${formatBytes(jsonByteLength(run.input))}`);
  if (run.status === "SUCCESS") {
    lines.push(`output       ${run.output === undefined ? "none (void)" : formatBytes(jsonByteLength(run.output))}`);
  }
  if (run.error !== null) lines.push(...errorLines(run.error, run.status === "ERROR"));
  if (run.steps.length === 0) {
    lines.push("steps        none completed");
    return lines;
  }
  lines.push(`steps        ${run.steps.length} completed`);
  const table = renderTable(
    [{ header: "STEP" }, { header: "COMPLETED AT" }, { header: "OUTPUT", align: "right" }],
    run.steps.map((step) => [
      step.stepId,
      formatTime(step.completedAt),
      step.output === undefined ? "void" : formatBytes(jsonByteLength(step.output)),
    ]),
  );
  lines.push(...table.map((line) => `  ${line}`));
  return lines;
}

/** `pgqrs runs show --json`: the whole record with ISO times, and each step's output and its size in bytes. */
export function runDetailsJson(run: RunWithSteps): Record<string, unknown> {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    runId: run.runId,
    messageId: run.messageId,
    workflow: run.workflow,
    status: run.status,
    attempt: run.attempt,
    runFailures: run.runFailures,
    stepFailures: run.stepFailures,
    createdAt: iso(run.createdAt),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    visibleAt: iso(run.visibleAt),
    leaseExpiresAt: iso(run.leaseExpiresAt),
    pauseReason: run.pauseReason,
    cancelRequestedAt: iso(run.cancelRequestedAt),
    cancelReason: run.cancelReason,
    input: run.input,
    output: run.output ?? null,
    outputBytes: jsonByteLength(run.output),
    error: run.error,
    steps: run.steps.map((step) => ({
      stepId: step.stepId,
      completedAt: step.completedAt.toISOString(),
      outputBytes: jsonByteLength(step.output),
      output: step.output ?? null,
    })),
  };
}
