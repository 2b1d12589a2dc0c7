import { describe, expect, it } from "vitest";
import { createWorkerMetrics, escapeLabelValue, stepDurationBuckets } from "./metrics";

describe("createWorkerMetrics", () => {
  it("puts a step in every bucket whose bound it does not exceed, and skips replayed steps", () => {
    const metrics = createWorkerMetrics("jobs");
    metrics.recordStep({ runId: "1", stepId: "a", durationMs: 30, replayed: false, ok: true });
    metrics.recordStep({ runId: "1", stepId: "b", durationMs: 2_000, replayed: false, ok: false });
    metrics.recordStep({ runId: "1", stepId: "c", durationMs: 0, replayed: true, ok: true });
    const body = metrics.render({ inFlight: 2, waiting: 3, queueDepth: undefined });
    const bucket = (le: string) => body.split("\n").find((line) => line.startsWith(`pgqrs_step_duration_seconds_bucket{workflow="jobs",le="${le}"}`));
    expect(bucket("0.025")).toMatch(/ 0$/);
    expect(bucket("0.05")).toMatch(/ 1$/);
    expect(bucket("1")).toMatch(/ 1$/);
    expect(bucket("2.5")).toMatch(/ 2$/);
    expect(bucket("+Inf")).toMatch(/ 2$/);
    expect(body).toContain('pgqrs_step_duration_seconds_sum{workflow="jobs"} 2.03');
    expect(body).toContain('pgqrs_step_duration_seconds_count{workflow="jobs"} 2');
    expect(body).toContain('pgqrs_runs_in_flight{workflow="jobs"} 2');
    expect(body).toContain('pgqrs_runs_waiting{workflow="jobs"} 3');
    // No depth reading yet: the family is declared but has no sample.
    expect(body).toContain("# TYPE pgqrs_queue_depth gauge");
    expect(body).not.toMatch(/^pgqrs_queue_depth\{/m);
    expect(stepDurationBuckets).toEqual([...stepDurationBuckets].sort((left, right) => left - right));
  });

  it("counts every outcome under its own counter", () => {
    const metrics = createWorkerMetrics("jobs");
    metrics.recordClaimed(6);
    for (const status of ["SUCCESS", "SUCCESS", "ERROR", "QUEUED", "PAUSED", "CANCELLED", "LEASE_LOST", "RELEASED"] as const) metrics.recordOutcome(status);
    expect(metrics.snapshot()).toEqual({
      pgqrs_runs_claimed_total: 6,
      pgqrs_runs_succeeded_total: 2,
      pgqrs_runs_failed_total: 1,
      pgqrs_runs_retried_total: 1,
      pgqrs_runs_paused_total: 1,
      pgqrs_runs_cancelled_total: 1,
      pgqrs_runs_released_total: 1,
      pgqrs_lease_losses_total: 1,
    });
  });

  it("escapes label values", () => {
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });
});
