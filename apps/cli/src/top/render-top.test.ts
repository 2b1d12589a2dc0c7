import type { RunCounts } from "@pgqrs/core/storage";
import { describe, expect, it } from "vitest";
import { progressBar, renderTop, topMetrics, type TopState } from "./render-top";
import type { TopSnapshot } from "./top-snapshot";

function counts(byStatus: Partial<Record<string, number>>, oldestQueuedAt: Date | null = null): RunCounts {
  const full = { QUEUED: 0, RUNNING: 0, SUCCESS: 0, ERROR: 0, PAUSED: 0, CANCELLED: 0, ...byStatus } as RunCounts["byStatus"];
  return { byStatus: full, visibleQueued: full.QUEUED, oldestQueuedAt };
}

function snapshot(takenAt: number, byStatus: Partial<Record<string, number>>): TopSnapshot {
  const totals = counts(byStatus, new Date(takenAt - 4_000));
  return { takenAt, totals, workflows: [{ name: "zip_files", counts: totals }], liveWorkers: 2 };
}

describe("pgqrs top rendering", () => {
  const first = snapshot(0, { QUEUED: 10, SUCCESS: 5 });
  const previous = snapshot(1_000, { QUEUED: 8, RUNNING: 2, SUCCESS: 5 });
  // Two more runs were enqueued; four finished since the previous frame, one of them ERROR.
  const current = snapshot(2_000, { QUEUED: 6, RUNNING: 2, SUCCESS: 8, ERROR: 1 });
  const state: TopState = { first, previous, current, error: null };

  it("measures throughput between frames and progress since start", () => {
    expect(topMetrics(state)).toEqual({ ratePerSecond: 4, averagePerSecond: 2, done: 4, goal: 12 });
    expect(topMetrics({ first, previous: null, current: first, error: null })).toEqual({
      ratePerSecond: null,
      averagePerSecond: null,
      done: 0,
      goal: 10,
    });
  });

  it("never reports negative progress when failed runs are queued again", () => {
    const retried = snapshot(3_000, { QUEUED: 11, SUCCESS: 4 });
    expect(topMetrics({ first, previous: current, current: retried, error: null })).toMatchObject({ done: 0, ratePerSecond: 0 });
  });

  it("draws a progress bar, full when there was nothing to do", () => {
    expect(progressBar(1, 4, 8)).toBe("[██░░░░░░]  25%");
    expect(progressBar(0, 0, 4)).toBe("[████] 100%");
    expect(progressBar(9, 4, 4)).toBe("[████] 100%");
  });

  it("renders counts per workflow and in total, rates, queue age, workers and progress", () => {
    const lines = renderTop(state, { width: 120, height: 40, title: "postgres://app:***@db/app" });
    expect(lines[0]).toBe("pgqrs top  postgres://app:***@db/app  up 2s  (q or Ctrl-C to quit)");
    expect(lines).toContain("WORKFLOW   QUEUED  RUNNING  PAUSED  SUCCESS  ERROR  CANCELLED  ALL");
    expect(lines).toContain("zip_files       6        2       0        8      1          0   17");
    expect(lines).toContain("total           6        2       0        8      1          0   17");
    expect(lines).toContain("throughput  4.0 runs/s now, 2.0 runs/s since start");
    expect(lines).toContain("queue       6 claimable now, oldest waiting 4s");
    expect(lines).toContain("workers     2 live");
    expect(lines.find((line) => line.startsWith("progress"))).toMatch(/^progress {4}\[█{17}░{33}\] {2}33% {2}4 of 12 finished since start$/);
  });

  it("fits the terminal: long lines are cut, extra workflows folded, refresh errors shown", () => {
    const many: TopSnapshot = {
      ...current,
      workflows: Array.from({ length: 50 }, (_, index) => ({ name: `workflow_${index}`, counts: current.totals })),
    };
    const lines = renderTop({ ...state, current: many, error: "lost the connection" }, { width: 40, height: 20, title: "x" });
    expect(lines.every((line) => line.length <= 40)).toBe(true);
    expect(lines.some((line) => line.startsWith("… 43 more"))).toBe(true);
    expect(lines.at(-1)).toBe("error: lost the connection (retrying)");
  });
});
