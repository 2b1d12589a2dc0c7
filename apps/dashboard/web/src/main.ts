import type { ApiInfo } from "../../src/api-types";
import { ApiFailure, getJson } from "./api";
import { el, replaceChildren } from "./dom";
import { formatTime } from "./format";
import "./style.css";
import type { View, ViewContext } from "./view";
import { overviewView } from "./views/overview";
import { runView } from "./views/run";
import { runsView } from "./views/runs";

function requireElement(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page lacks #${id}`);
  return element;
}

const app = requireElement("app");
const live = requireElement("live");

/** The view for the address's hash: `#/`, `#/runs?workflow=…&status=…`, `#/runs/<id>`. */
function route(hash: string, context: ViewContext): View {
  const [path = "", query = ""] = hash.replace(/^#/, "").split("?");
  const params = new URLSearchParams(query);
  const runMatch = /^\/runs\/([^/]+)$/.exec(path);
  for (const link of document.querySelectorAll<HTMLAnchorElement>("nav a[data-nav]")) {
    link.classList.toggle("active", link.dataset.nav === (path.startsWith("/runs") ? "runs" : "overview"));
  }
  if (runMatch?.[1] !== undefined) return runView(decodeURIComponent(runMatch[1]), context);
  if (path === "/runs") {
    return runsView({ workflow: params.get("workflow") ?? "", status: params.get("status") ?? "" }, (next) => {
      window.location.hash = next;
    });
  }
  return overviewView();
}

async function start(): Promise<void> {
  const info = await getJson<ApiInfo>("/api/info");
  requireElement("database").textContent = info.database;
  requireElement("mode").textContent = info.allowActions ? "actions enabled" : "read-only";

  let current: View | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;

  // One refresh at a time; the next is scheduled when the last one ends, so a slow database never piles up requests.
  const tick = async (): Promise<void> => {
    clearTimeout(timer);
    const view = current;
    if (view === null) return;
    if (running !== null) {
      await running;
      if (view !== current) return;
    }
    running = view
      .refresh()
      .then(() => {
        live.textContent = `live · updated ${formatTime(new Date().toISOString()).slice(11)}`;
        live.className = "live";
      })
      .catch((error: unknown) => {
        live.textContent = `not updating: ${error instanceof ApiFailure ? error.message : String(error)}`;
        live.className = "live stale";
      })
      .finally(() => {
        running = null;
      });
    await running;
    if (view === current) timer = setTimeout(() => void tick(), info.pollIntervalMs);
  };

  const context: ViewContext = { info, refreshNow: () => void tick() };
  const show = () => {
    current = route(window.location.hash, context);
    replaceChildren(app, current.element);
    void tick();
  };
  window.addEventListener("hashchange", show);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) void tick();
  });
  show();
}

start().catch((error: unknown) => {
  replaceChildren(app, el("p", { class: "failed" }, `The dashboard could not start: ${error instanceof Error ? error.message : String(error)}`));
});
