import type { RunCounts } from "@pgqrs/core/storage";
import { renderTable } from "../format/table";
import { formatDuration, formatShortTime } from "../format/time";
import { countOf, statusColumns, totalOf } from "../status-columns";
import type { TopSnapshot } from "./top-snapshot";

/** What a frame is drawn from: the first snapshot (the baseline), the one before and the current one. */
export interface TopState {
  first: TopSnapshot;
  previous: TopSnapshot | null;
  current: TopSnapshot;
  /** The last refresh's failure, shown until a refresh succeeds. */
  error: string | null;
}

/** Runs not yet final. */
const waitingStatuses = ["QUEUED", "RUNNING", "PAUSED"];

function outstanding(counts: RunCounts): number {
  return waitingStatuses.reduce((sum, status) => sum + countOf(counts, status), 0);
}

function finished(counts: RunCounts): number {
  return totalOf(counts) - outstanding(counts);
}

/** Throughput and progress derived from the snapshots. */
export interface TopMetrics {
  /** Runs finished per second between the previous snapshot and this one; `null` on the first frame. */
  ratePerSecond: number | null;
  /** Runs finished per second since top started; `null` on the first frame. */
  averagePerSecond: number | null;
  /** Runs finished since top started. */
  done: number;
  /** Runs outstanding when top started plus runs created since. */
  goal: number;
}

/** Computes {@link TopMetrics}. A run queued again after ERROR (`runs retry`) can make `done` shrink; it stays >= 0. */
export function topMetrics(state: TopState): TopMetrics {
  const { first, previous, current } = state;
  const perSecond = (from: TopSnapshot) => {
    const seconds = (current.takenAt - from.takenAt) / 1000;
    return seconds > 0 ? Math.max(0, finished(current.totals) - finished(from.totals)) / seconds : null;
  };
  return {
    ratePerSecond: previous === null ? null : perSecond(previous),
    averagePerSecond: current === first ? null : perSecond(first),
    done: Math.max(0, finished(current.totals) - finished(first.totals)),
    goal: Math.max(0, outstanding(first.totals) + totalOf(current.totals) - totalOf(first.totals)),
  };
}

/** `[█████░░░░░]  50%` for `done` of `goal`; a full bar when there was nothing to do. */
export function progressBar(done: number, goal: number, width: number): string {
  const ratio = goal === 0 ? 1 : Math.min(1, done / goal);
  const filled = Math.round(ratio * width);
  return `[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%`;
}

function rate(value: number | null): string {
  return value === null ? "-" : `${value.toFixed(1)} runs/s`;
}

/**
 * Draws one frame of `pgqrs top` as lines at most `width` wide and about `height` tall: counts per status for each
 * workflow and in total, throughput, queue age, live workers, and a progress bar of the runs queued when top started
 * (or since) that have finished.
 */
export function renderTop(state: TopState, options: { width: number; height: number; title: string }): string[] {
  const { current, first } = state;
  const metrics = topMetrics(state);
  const statuses = statusColumns([current.totals, ...current.workflows.map((workflow) => workflow.counts)]);
  const row = (label: string, counts: RunCounts) => [
    label,
    ...statuses.map((status) => String(countOf(counts, status))),
    String(totalOf(counts)),
  ];
  // Header, blank, table header, totals row, blank and the six summary lines take 12 lines.
  const room = Math.max(1, options.height - 12);
  const shown = current.workflows.length > room ? current.workflows.slice(0, room - 1) : current.workflows;
  const rows = shown.map((workflow) => row(workflow.name, workflow.counts));
  const hidden = current.workflows.length - shown.length;
  if (hidden > 0) rows.push([`… ${hidden} more`]);
  rows.push(row("total", current.totals));
  const table = renderTable(
    [{ header: "WORKFLOW" }, ...statuses.map((header) => ({ header, align: "right" as const })), { header: "ALL", align: "right" }],
    rows,
  );
  const oldest = current.totals.oldestQueuedAt;
  const barWidth = Math.max(10, Math.min(50, options.width - 50));
  const lines = [
    `pgqrs top  ${options.title}  up ${formatDuration(current.takenAt - first.takenAt)}  (q or Ctrl-C to quit)`,
    "",
    ...table,
    "",
    `throughput  ${rate(metrics.ratePerSecond)} now, ${rate(metrics.averagePerSecond)} since start`,
    `queue       ${current.totals.visibleQueued} claimable now${oldest ? `, oldest waiting ${formatDuration(current.takenAt - oldest.getTime())}` : ""}`,
    `workers     ${current.liveWorkers} live`,
    `progress    ${progressBar(metrics.done, metrics.goal, barWidth)}  ${metrics.done} of ${metrics.goal} finished since start`,
    "",
    state.error === null ? `refreshed ${formatShortTime(new Date(current.takenAt))}` : `error: ${state.error} (retrying)`,
  ];
  return lines.map((line) => (line.length > options.width ? line.slice(0, options.width) : line));
}
