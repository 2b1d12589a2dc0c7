import type { ApiRunDetail, ApiRunSummary } from "../../../src/api-types";
import { ApiFailure, getJson, postAction } from "../api";
import { el, replaceChildren } from "../dom";
import type { View, ViewContext } from "../view";
import { createChangeDetector, statusClass } from "../view";
import { errorBlock, factList, payloadBlock, stepTimeline } from "./run-parts";

interface Action {
  id: string;
  label: string;
  path: string;
  body?: object;
  /** Styles a destructive action apart from the others. */
  danger?: boolean;
  question: string;
  done: (run: ApiRunSummary) => string;
}

/** The reason the dashboard records with a cancel. */
const cancelReason = "cancelled from the dashboard";

function cancelAction(run: ApiRunDetail, base: string): Action {
  const running = run.status === "RUNNING";
  return {
    id: "cancel-button",
    label: "Cancel",
    path: `${base}/cancel`,
    body: { reason: cancelReason },
    danger: true,
    question: running
      ? `Cancel run ${run.runId}? It is RUNNING: its worker stops it at its next step boundary and it ends CANCELLED. This cannot be undone.`
      : `Cancel run ${run.runId}? It ends CANCELLED at once and no worker will run it. This cannot be undone.`,
    done: (updated) =>
      updated.status === "CANCELLED"
        ? `Run ${updated.runId} cancelled: it is CANCELLED.`
        : `Cancel requested for run ${updated.runId}: it is still ${updated.status} and stops at its next step boundary.`,
  };
}

function actionsFor(run: ApiRunDetail): Action[] {
  const base = `/api/runs/${encodeURIComponent(run.runId)}`;
  const actions: Action[] = [];
  if (run.status === "PAUSED") {
    actions.push({
      id: "resume-button",
      label: "Resume now",
      path: `${base}/resume`,
      question: `Resume run ${run.runId} now? A worker will pick it up at once instead of when its pause ends.`,
      done: (updated) => `Run ${updated.runId} resumed: it is ${updated.status} and visible to workers now.`,
    });
  }
  if (run.status === "ERROR") {
    actions.push({
      id: "retry-button",
      label: "Retry",
      path: `${base}/retry`,
      question: `Retry run ${run.runId}? It is queued again on the same run id and skips the steps it completed.`,
      done: (updated) => `Run ${updated.runId} queued again: it is ${updated.status}.`,
    });
  }
  // A RUNNING run whose cancel is pending needs no second request.
  const pending = run.status === "RUNNING" && run.cancelRequestedAt !== null;
  if ((run.status === "QUEUED" || run.status === "PAUSED" || run.status === "RUNNING") && !pending) {
    actions.push(cancelAction(run, base));
  }
  return actions;
}

/** The run page: status, attempts, input, output, the error and its causes, and the steps on a timeline. */
export function runView(runId: string, context: ViewContext): View {
  const changed = createChangeDetector();
  const header = el("div", { class: "run-header" }, el("h1", {}, `Run ${runId}`));
  const flash = el("div", { class: "flash", id: "flash", attrs: { role: "status" } });
  const body = el("div", { class: "loading" }, "Loading…");
  const element = el("section", { class: "run" }, el("p", {}, el("a", { href: "#/runs" }, "‹ All runs")), header, flash, body);
  const rawHref = `/api/runs/${encodeURIComponent(runId)}/raw`;

  const perform = async (action: Action) => {
    if (!window.confirm(action.question)) return;
    try {
      const updated = await postAction<ApiRunSummary>(action.path, action.body);
      replaceChildren(flash, el("p", { class: "ok" }, action.done(updated)));
    } catch (error) {
      const message = error instanceof ApiFailure ? error.message : String(error);
      replaceChildren(flash, el("p", { class: "failed" }, `The action failed: ${message}`));
    }
    context.refreshNow();
  };

  const render = (run: ApiRunDetail) => {
    // Keep the <details> a reader opened across re-renders.
    const open = new Set([...body.querySelectorAll<HTMLDetailsElement>("details[data-key]")].filter((d) => d.open).map((d) => d.dataset.key));
    const actions = context.info.allowActions ? actionsFor(run) : [];
    replaceChildren(
      header,
      el("h1", {}, `Run ${run.runId}`),
      el("span", { class: statusClass(run.status), id: "run-status" }, run.status),
      el("span", { class: "spacer" }),
      ...actions.map((action) =>
        el("button", { id: action.id, class: action.danger === true ? "action danger" : "action", onClick: () => void perform(action) }, action.label),
      ),
    );
    body.className = "";
    replaceChildren(
      body,
      factList(run),
      run.error === null ? null : el("h2", {}, run.status === "ERROR" ? "Error" : "Last error"),
      run.error === null ? null : errorBlock(run.error, rawHref),
      el("h2", {}, `Steps (${run.steps.length})`),
      stepTimeline(run, rawHref),
      el("h2", {}, "Input"),
      payloadBlock({ payload: run.input, rawHref, testid: "run-input", absent: "No input." }),
      el("h2", {}, "Output"),
      payloadBlock({
        payload: run.output,
        rawHref,
        testid: "run-output",
        absent:
          run.status === "SUCCESS"
            ? "No output (the handler returned nothing)."
            : run.status === "ERROR"
              ? "No output: the run failed."
              : run.status === "CANCELLED"
                ? "No output: the run was cancelled."
                : "No output yet.",
      }),
    );
    for (const details of body.querySelectorAll<HTMLDetailsElement>("details[data-key]")) {
      if (open.has(details.dataset.key)) details.open = true;
    }
  };

  return {
    element,
    async refresh() {
      let run: ApiRunDetail;
      try {
        run = await getJson<ApiRunDetail>(`/api/runs/${encodeURIComponent(runId)}`);
      } catch (error) {
        if (error instanceof ApiFailure && error.status === 404) {
          if (changed("not-found")) replaceChildren(body, el("p", { class: "empty", id: "run-missing" }, `No run has the id "${runId}".`));
          body.className = "";
          return;
        }
        throw error;
      }
      if (changed(run)) render(run);
    },
  };
}
