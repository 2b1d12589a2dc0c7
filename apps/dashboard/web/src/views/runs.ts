import type { ApiRunPage, ApiRunSummary } from "../../../src/api-types";
import { runStatuses } from "../../../src/api-types";
import { getJson } from "../api";
import { el, replaceChildren } from "../dom";
import { formatTime } from "../format";
import type { View } from "../view";
import { createChangeDetector, statusClass } from "../view";

/** The runs table's filters, as in the page address (`#/runs?workflow=…&status=…`). */
export interface RunFilters {
  workflow: string;
  status: string;
}

const pageSize = 50;

function filtersHash(filters: RunFilters): string {
  const params = new URLSearchParams();
  if (filters.workflow !== "") params.set("workflow", filters.workflow);
  if (filters.status !== "") params.set("status", filters.status);
  const query = params.toString();
  return query === "" ? "#/runs" : `#/runs?${query}`;
}

function select(options: { id: string; label: string; value: string; choices: string[]; onChange: (value: string) => void }) {
  const control = el(
    "select",
    { id: options.id, onChange: (event) => options.onChange((event.target as HTMLSelectElement).value) },
    el("option", { attrs: { value: "" } }, `All`),
    ...options.choices.map((choice) => el("option", { attrs: { value: choice } }, choice)),
  );
  // Keep a filter that names something not (or no longer) listed, so the select shows what the table shows.
  if (options.value !== "" && !options.choices.includes(options.value)) {
    control.append(el("option", { attrs: { value: options.value } }, options.value));
  }
  control.value = options.value;
  return el("label", {}, options.label, " ", control);
}

function row(run: ApiRunSummary): HTMLTableRowElement {
  const note =
    run.status === "CANCELLED"
      ? `cancelled${run.cancelReason === null ? "" : `: ${run.cancelReason}`}`
      : (run.errorSummary ?? (run.pauseReason === null ? "" : `paused: ${run.pauseReason}`));
  return el(
    "tr",
    { data: { runId: run.runId, status: run.status, workflow: run.workflow } },
    el("td", { class: "num" }, el("a", { href: `#/runs/${encodeURIComponent(run.runId)}` }, run.runId)),
    el("td", {}, run.workflow),
    el("td", {}, el("span", { class: statusClass(run.status) }, run.status)),
    el("td", { class: "num" }, run.attempt),
    el("td", {}, formatTime(run.createdAt)),
    el("td", {}, formatTime(run.finishedAt)),
    el("td", { class: "note", title: note }, note),
  );
}

/** The runs table: filtered by workflow and status, newest first, paged by the store's cursor. */
export function runsView(filters: RunFilters, navigate: (hash: string) => void): View {
  // Cursors of the pages before the current one, so "Newer" can go back; the current page's cursor is last.
  const cursors: (string | undefined)[] = [undefined];
  let nextCursor: string | null = null;
  let workflows: string[] = [];
  const changed = createChangeDetector();
  const controls = el("div", { class: "filters" });
  const table = el("div", { class: "loading" }, "Loading…");
  const pager = el("div", { class: "pager" });
  const element = el("section", { class: "runs" }, el("h1", {}, "Runs"), controls, table, pager);
  let renderedWorkflows = "";

  const renderControls = () => {
    const key = JSON.stringify(workflows);
    if (key === renderedWorkflows) return;
    renderedWorkflows = key;
    replaceChildren(
      controls,
      select({
        id: "filter-workflow",
        label: "Workflow",
        value: filters.workflow,
        choices: workflows,
        onChange: (value) => navigate(filtersHash({ ...filters, workflow: value })),
      }),
      select({
        id: "filter-status",
        label: "Status",
        value: filters.status,
        choices: [...runStatuses],
        onChange: (value) => navigate(filtersHash({ ...filters, status: value })),
      }),
    );
  };

  // Bumped by every page move, so a refresh that started before the move does not render the old page after it.
  let generation = 0;

  const load = async (force: boolean) => {
    const started = generation;
    const params = new URLSearchParams({ limit: String(pageSize) });
    if (filters.workflow !== "") params.set("workflow", filters.workflow);
    if (filters.status !== "") params.set("status", filters.status);
    const cursor = cursors[cursors.length - 1];
    if (cursor !== undefined) params.set("cursor", cursor);
    const [page, names] = await Promise.all([
      getJson<ApiRunPage>(`/api/runs?${params.toString()}`),
      getJson<string[]>("/api/workflows"),
    ]);
    if (started !== generation) return;
    workflows = names;
    renderControls();
    nextCursor = page.nextCursor;
    if (!changed({ page, depth: cursors.length }) && !force) return;
    const pageNumber = cursors.length;
    table.className = "";
    replaceChildren(
      table,
      page.runs.length === 0
        ? el("p", { class: "empty", id: "runs-empty" }, "No runs match these filters.")
        : el(
            "table",
            { class: "grid-table", id: "runs-table" },
            el(
              "thead",
              {},
              el("tr", {}, ...["Run", "Workflow", "Status", "Attempt", "Created", "Finished", "Error / pause"].map((name) => el("th", {}, name))),
            ),
            el("tbody", {}, ...page.runs.map(row)),
          ),
    );
    replaceChildren(
      pager,
      el("button", { id: "page-first", attrs: pageNumber > 1 ? {} : { disabled: "" }, onClick: () => void go(() => cursors.splice(1)) }, "« Newest"),
      el("button", { id: "page-newer", attrs: pageNumber > 1 ? {} : { disabled: "" }, onClick: () => void go(() => cursors.pop()) }, "‹ Newer"),
      el("span", { class: "page-number", id: "page-number" }, `Page ${pageNumber}`),
      el(
        "button",
        {
          id: "page-older",
          attrs: nextCursor === null ? { disabled: "" } : {},
          onClick: () => void go(() => nextCursor !== null && cursors.push(nextCursor)),
        },
        "Older ›",
      ),
    );
  };

  const go = async (move: () => unknown) => {
    move();
    generation += 1;
    await load(true);
  };

  return { element, refresh: () => load(false) };
}
