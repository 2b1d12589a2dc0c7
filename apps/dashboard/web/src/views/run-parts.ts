import type { ApiError, ApiPayload, ApiRunDetail, ApiStep } from "../../../src/api-types";
import { el } from "../dom";
import type { Child } from "../dom";
import { formatBytes, formatDuration, formatTime } from "../format";

/** A JSON value as preformatted text (never markup), with its size and a note when cut. */
export function payloadBlock(options: { payload: ApiPayload; rawHref: string; testid: string; absent: string }): HTMLElement {
  const { payload } = options;
  if (!payload.present) return el("p", { class: "muted", data: { testid: options.testid } }, options.absent);
  return el(
    "div",
    { class: "payload" },
    el("pre", { data: { testid: options.testid } }, payload.text),
    el(
      "small",
      { class: "muted" },
      formatBytes(payload.bytes),
      payload.truncated ? " — cut for display; " : null,
      payload.truncated ? el("a", { href: options.rawHref, attrs: { target: "_blank", rel: "noopener" } }, "open the full run as JSON") : null,
    ),
  );
}

/** The run's facts as a definition list. */
export function factList(run: ApiRunDetail): HTMLElement {
  const failures = Object.entries(run.stepFailures);
  const facts: [string, Child][] = [
    ["Workflow", el("a", { href: `#/runs?workflow=${encodeURIComponent(run.workflow)}` }, run.workflow)],
    ["Message", run.messageId],
    ["Attempt", el("span", { data: { testid: "attempt" } }, run.attempt)],
    ["Run failures", run.runFailures],
    ["Step failures", failures.length === 0 ? "none" : failures.map(([step, count]) => `${step}: ${count}`).join(", ")],
    ["Created", formatTime(run.createdAt)],
    ["Started", formatTime(run.startedAt)],
    ["Finished", formatTime(run.finishedAt)],
  ];
  if (run.status === "QUEUED" || run.status === "PAUSED") facts.push(["Visible at", formatTime(run.visibleAt)]);
  if (run.status === "RUNNING") facts.push(["Lease ends", formatTime(run.leaseExpiresAt)]);
  if (run.pauseReason !== null) facts.push(["Pause reason", el("span", { data: { testid: "pause-reason" } }, run.pauseReason)]);
  if (run.cancelRequestedAt !== null) {
    // On a RUNNING run the request is pending: its worker ends it CANCELLED at the next step boundary.
    const label = run.status === "CANCELLED" ? "Cancelled at" : "Cancel requested";
    const note = run.status === "RUNNING" ? " (stops at its next step boundary)" : "";
    facts.push([label, el("span", { data: { testid: "cancel-requested-at" } }, `${formatTime(run.cancelRequestedAt)}${note}`)]);
    facts.push(["Cancel reason", el("span", { data: { testid: "cancel-reason" } }, run.cancelReason ?? "none given")]);
  }
  const list = el("dl", { class: "facts" });
  for (const [term, value] of facts) list.append(el("dt", {}, term), el("dd", {}, value));
  return list;
}

/** The last error: name, message, where it happened, its cause chain, data and stack. */
export function errorBlock(error: ApiError, rawHref: string): HTMLElement {
  const where = [
    `attempt ${error.attempt}`,
    error.stepId === null ? "outside any step" : `in step "${error.stepId}"`,
    error.code === null ? null : `code ${error.code}`,
  ]
    .filter((part) => part !== null)
    .join(" · ");
  return el(
    "div",
    { class: "error-box", id: "run-error" },
    el("p", { class: "error-title" }, el("strong", {}, error.name), ": ", el("span", { data: { testid: "error-message" } }, error.message)),
    el("p", { class: "muted" }, where),
    error.causes.length === 0
      ? null
      : el(
          "ol",
          { class: "causes", id: "error-causes" },
          ...error.causes.map((cause) => el("li", {}, "caused by ", el("strong", {}, cause.name), ": ", cause.message)),
        ),
    error.data.present
      ? el("details", { data: { key: "error-data" } }, el("summary", {}, "Error data"), payloadBlock({ payload: error.data, rawHref, testid: "error-data", absent: "" }))
      : null,
    error.stack === null ? null : el("details", { data: { key: "error-stack" } }, el("summary", {}, "Stack"), el("pre", {}, error.stack)),
  );
}

/**
 * The steps in completion order on a timeline: each bar spans from the previous step's completion (the run's start
 * for the first) to its own, scaled to the whole run so far.
 */
export function stepTimeline(run: ApiRunDetail, rawHref: string): HTMLElement {
  if (run.steps.length === 0) return el("p", { class: "muted", id: "steps-empty" }, "No completed steps.");
  const first = run.startedAt === null ? Date.parse(run.steps[0]?.completedAt ?? run.createdAt) : Date.parse(run.startedAt);
  const last = Date.parse(run.steps[run.steps.length - 1]?.completedAt ?? run.createdAt);
  const span = Math.max(1, last - first);
  const item = (step: ApiStep, index: number) => {
    const end = Date.parse(step.completedAt);
    const start = step.sincePreviousMs === null ? end : end - step.sincePreviousMs;
    const bar = el("span", { class: "bar" });
    // Positions are set through the CSSOM (allowed by the page's Content-Security-Policy, unlike style attributes).
    bar.style.left = `${(((start - first) / span) * 100).toFixed(2)}%`;
    bar.style.width = `${Math.max(0.5, ((end - start) / span) * 100).toFixed(2)}%`;
    return el(
      "li",
      { data: { stepId: step.stepId } },
      el("span", { class: "step-index" }, index + 1),
      el("span", { class: "step-name" }, step.stepId),
      el("span", { class: "track" }, bar),
      el("span", { class: "step-meta step-completed" }, formatTime(step.completedAt)),
      el("span", { class: "step-meta step-duration num" }, step.sincePreviousMs === null ? "—" : `+${formatDuration(step.sincePreviousMs)}`),
      el("span", { class: "step-meta step-size num" }, step.output.present ? formatBytes(step.output.bytes) : "void"),
      el(
        "details",
        { class: "step-output", data: { key: `step:${step.stepId}` } },
        el("summary", {}, "Output"),
        payloadBlock({ payload: step.output, rawHref, testid: `step-output-${index + 1}`, absent: "No output (void step)." }),
      ),
    );
  };
  return el(
    "div",
    { class: "timeline" },
    el(
      "div",
      { class: "timeline-head" },
      el("span", {}, "#"),
      el("span", {}, "Step"),
      el("span", {}, "Timeline"),
      el("span", {}, "Completed"),
      el("span", {}, "Duration"),
      el("span", {}, "Output"),
    ),
    el("ol", { class: "steps", id: "steps" }, ...run.steps.map(item)),
  );
}
