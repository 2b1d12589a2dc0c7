import type { ApiCounts, ApiOverview } from "../../../src/api-types";
import { runStatuses } from "../../../src/api-types";
import { getJson } from "../api";
import { throughputChart } from "../chart";
import { el, replaceChildren } from "../dom";
import { formatCount, formatDuration } from "../format";
import type { View } from "../view";
import { statusClass } from "../view";

function runsLink(filters: { workflow?: string; status?: string }): string {
  const params = new URLSearchParams();
  if (filters.workflow !== undefined) params.set("workflow", filters.workflow);
  if (filters.status !== undefined) params.set("status", filters.status);
  const query = params.toString();
  return query === "" ? "#/runs" : `#/runs?${query}`;
}

function countCells(counts: ApiCounts, key: string, workflow?: string): HTMLTableCellElement[] {
  return [
    ...runStatuses.map((status) =>
      el(
        "td",
        { class: "num" },
        el("a", { href: runsLink({ workflow, status }), data: { testid: `count-${key}-${status}` } }, formatCount(counts.byStatus[status])),
      ),
    ),
    el("td", { class: "num" }, el("a", { href: runsLink({ workflow }), data: { testid: `count-${key}-total` } }, formatCount(counts.total))),
  ];
}

function statusCards(overview: ApiOverview): HTMLElement {
  const oldest =
    overview.oldestQueuedAt === null
      ? "no run waiting"
      : `oldest waiting ${formatDuration(Math.max(0, Date.parse(overview.generatedAt) - Date.parse(overview.oldestQueuedAt)))}`;
  return el(
    "div",
    { class: "cards" },
    ...runStatuses.map((status) =>
      el(
        "a",
        { class: "card", href: runsLink({ status }) },
        el("span", { class: statusClass(status) }, status),
        el("strong", { data: { testid: `total-${status}` } }, formatCount(overview.totals.byStatus[status])),
      ),
    ),
    el(
      "div",
      { class: "card" },
      el("span", { class: "badge" }, "QUEUE DEPTH"),
      el("strong", { data: { testid: "queue-depth" } }, formatCount(overview.visibleQueued)),
      el("small", {}, oldest),
    ),
  );
}

function workflowTable(overview: ApiOverview): HTMLElement {
  if (overview.workflows.length === 0) {
    return el("p", { class: "empty" }, "No workflows yet: create one with store.createWorkflow(name) and trigger a run.");
  }
  return el(
    "table",
    { class: "grid-table", id: "workflow-counts" },
    el("thead", {}, el("tr", {}, el("th", {}, "Workflow"), ...runStatuses.map((status) => el("th", { class: "num" }, status)), el("th", { class: "num" }, "Total"))),
    el(
      "tbody",
      {},
      ...overview.workflows.map((workflow) =>
        el(
          "tr",
          { data: { workflow: workflow.name } },
          el("th", { attrs: { scope: "row" } }, el("a", { href: runsLink({ workflow: workflow.name }) }, workflow.name)),
          ...countCells(workflow.counts, `wf-${workflow.name}`, workflow.name),
        ),
      ),
    ),
    el("tfoot", {}, el("tr", {}, el("th", { attrs: { scope: "row" } }, "All workflows"), ...countCells(overview.totals, "all"))),
  );
}

/** The overview: totals per status, counts per workflow and status, and the last hour's throughput. */
export function overviewView(): View {
  const body = el("div", { class: "loading" }, "Loading…");
  const element = el("section", { class: "overview" }, el("h1", {}, "Overview"), body);
  return {
    element,
    async refresh() {
      const overview = await getJson<ApiOverview>("/api/overview");
      replaceChildren(
        body,
        statusCards(overview),
        el("h2", {}, "Throughput"),
        throughputChart(overview.throughput),
        el("h2", {}, "Runs by workflow"),
        workflowTable(overview),
      );
      body.className = "";
    },
  };
}
