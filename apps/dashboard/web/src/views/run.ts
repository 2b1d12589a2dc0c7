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
  question: string;
  done: (run: ApiRunSummary) => string;
}

function actionFor(run: ApiRunDetail): Action | null {
  const base = `/api/runs/${encodeURIComponent(run.runId)}`;
  if (run.status === "PAUSED") {
    return {
      id: "resume-button",
      label: "Resume now",
      path: `${base}/resume`,
      question: `Resume run ${run.runId} now? A worker will pick it up at once instead of when its pause ends.`,
      done: (updated) => `Run ${updated.runId} resumed: it is ${updated.status} and visible to workers now.`,
    };
  }
  if (run.status === "ERROR") {
    return {
      id: "retry-button",
      label: "Retry",
      path: `${base}/retry`,
      question: `Retry run ${run.runId}? It is queued again on the same run id and skips the steps it completed.`,
      done: (updated) => `Run ${updated.runId} queued again: it is ${updated.status}.`,
    };
  }
  return null;
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
      const updated = await postAction<ApiRunSummary>(action.path);
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
    const action = context.info.allowActions ? actionFor(run) : null;
    replaceChildren(
      header,
      el("h1", {}, `Run ${run.runId}`),
      el("span", { class: statusClass(run.status), id: "run-status" }, run.status),
      el("span", { class: "spacer" }),
      action === null ? null : el("button", { id: action.id, class: "action", onClick: () => void perform(action) }, action.label),
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
