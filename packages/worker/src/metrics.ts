import type { RunOutcome, StepEvent } from "@pgqrs/core";

/** Upper bounds (seconds) of the step duration histogram: from 5 ms to 5 minutes. */
export const stepDurationBuckets: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** Values read when the metrics are rendered rather than counted. */
export interface MetricGauges {
  /** Runs whose attempt is executing (handler running, or its outcome being written). */
  inFlight: number;
  /** Runs claimed ahead, waiting in the worker for a free slot. */
  waiting: number;
  /** Visible QUEUED runs; `undefined` when the store has not answered yet (the sample is left out). */
  queueDepth: number | undefined;
}

/** The worker's counters and histogram, rendered in the Prometheus text format 0.0.4. */
export interface WorkerMetrics {
  recordClaimed(count: number): void;
  recordOutcome(status: RunOutcome["status"]): void;
  /** Steps that ran; replayed steps (output read back from the store) are not timed. */
  recordStep(event: StepEvent): void;
  render(gauges: MetricGauges): string;
  /** Counter values by metric name, for tests and logs. */
  snapshot(): Record<CounterName, number>;
}

type CounterName =
  | "pgqrs_runs_claimed_total"
  | "pgqrs_runs_succeeded_total"
  | "pgqrs_runs_failed_total"
  | "pgqrs_runs_retried_total"
  | "pgqrs_runs_paused_total"
  | "pgqrs_runs_cancelled_total"
  | "pgqrs_runs_released_total"
  | "pgqrs_lease_losses_total";

const counterHelp: Record<CounterName, string> = {
  pgqrs_runs_claimed_total: "Runs claimed by this worker.",
  pgqrs_runs_succeeded_total: "Runs this worker completed with SUCCESS.",
  pgqrs_runs_failed_total: "Runs this worker ended ERROR (permanent failure or retries exhausted).",
  pgqrs_runs_retried_total: "Attempts that failed and put the run back to QUEUED for a retry.",
  pgqrs_runs_paused_total: "Attempts that ended with the run PAUSED.",
  pgqrs_runs_cancelled_total: "Runs this worker ended CANCELLED after a cancel request.",
  pgqrs_runs_released_total: "Runs handed back unfinished during a graceful shutdown.",
  pgqrs_lease_losses_total: "Attempts stopped because another worker took over the run's lease.",
};

const outcomeCounter: Record<RunOutcome["status"], CounterName> = {
  SUCCESS: "pgqrs_runs_succeeded_total",
  ERROR: "pgqrs_runs_failed_total",
  QUEUED: "pgqrs_runs_retried_total",
  PAUSED: "pgqrs_runs_paused_total",
  CANCELLED: "pgqrs_runs_cancelled_total",
  RELEASED: "pgqrs_runs_released_total",
  LEASE_LOST: "pgqrs_lease_losses_total",
};

/** Escapes a label value as the text format requires (backslash, double quote, newline). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

/**
 * Creates the metrics of one worker. Every sample carries a `workflow` label and nothing else a user wrote:
 * no params, outputs, step ids or errors.
 */
export function createWorkerMetrics(workflow: string): WorkerMetrics {
  const counters = Object.fromEntries(Object.keys(counterHelp).map((name) => [name, 0])) as Record<CounterName, number>;
  const bucketCounts = stepDurationBuckets.map(() => 0);
  let stepCount = 0;
  let stepSeconds = 0;
  const label = `workflow="${escapeLabelValue(workflow)}"`;

  return {
    recordClaimed(count) {
      counters.pgqrs_runs_claimed_total += count;
    },
    recordOutcome(status) {
      counters[outcomeCounter[status]] += 1;
    },
    recordStep(event) {
      if (event.replayed) return;
      const seconds = Math.max(0, event.durationMs) / 1000;
      stepCount += 1;
      stepSeconds += seconds;
      stepDurationBuckets.forEach((bound, index) => {
        if (seconds <= bound) bucketCounts[index] = (bucketCounts[index] ?? 0) + 1;
      });
    },
    render(gauges) {
      const lines: string[] = [];
      for (const [name, help] of Object.entries(counterHelp) as [CounterName, string][]) {
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name}{${label}} ${counters[name]}`);
      }
      lines.push(
        "# HELP pgqrs_step_duration_seconds Time a step's function took, including storing its output.",
        "# TYPE pgqrs_step_duration_seconds histogram",
      );
      stepDurationBuckets.forEach((bound, index) => {
        lines.push(`pgqrs_step_duration_seconds_bucket{${label},le="${formatNumber(bound)}"} ${bucketCounts[index] ?? 0}`);
      });
      lines.push(
        `pgqrs_step_duration_seconds_bucket{${label},le="+Inf"} ${stepCount}`,
        `pgqrs_step_duration_seconds_sum{${label}} ${formatNumber(stepSeconds)}`,
        `pgqrs_step_duration_seconds_count{${label}} ${stepCount}`,
        "# HELP pgqrs_queue_depth QUEUED runs of the workflow claimable now.",
        "# TYPE pgqrs_queue_depth gauge",
      );
      if (gauges.queueDepth !== undefined) lines.push(`pgqrs_queue_depth{${label}} ${formatNumber(gauges.queueDepth)}`);
      lines.push(
        "# HELP pgqrs_runs_in_flight Runs this worker is executing now.",
        "# TYPE pgqrs_runs_in_flight gauge",
        `pgqrs_runs_in_flight{${label}} ${gauges.inFlight}`,
        "# HELP pgqrs_runs_waiting Runs this worker claimed ahead, waiting for a free slot.",
        "# TYPE pgqrs_runs_waiting gauge",
        `pgqrs_runs_waiting{${label}} ${gauges.waiting}`,
      );
      return `${lines.join("\n")}\n`;
    },
    snapshot() {
      return { ...counters };
    },
  };
}
