import type { Measurement } from "./measurement";
import type { BenchSettings } from "./settings";
import { dbosPollingIntervalMs } from "./systems/dbos";
import { pgBossBatchSize, pgBossPollingSeconds } from "./systems/pg-boss";

/** The machine line of the report and of `latest.json`. */
export interface Machine {
  startedAt: string;
  node: string;
  postgres: string;
  cpus: number;
  quick: boolean;
}

/** Formats a figure with 3 significant digits (at least 0 decimals). */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

function pgqrsRowFor(row: Measurement, results: readonly Measurement[]): Measurement | undefined {
  const reference = row.reference ?? { scenario: row.scenario, metric: row.metric };
  return results.find((other) => other.system === "pgqrs" && other.scenario === reference.scenario && other.metric === reference.metric);
}

/** "system value / pgqrs value" or its inverse, so that > 1 always means pgqrs is better. */
export function ratioOf(row: Measurement, results: readonly Measurement[]): number | undefined {
  if (row.system.startsWith("pgqrs") && row.reference === undefined) return undefined;
  const pgqrs = pgqrsRowFor(row, results);
  if (!pgqrs || pgqrs.median === 0 || row.median === 0) return undefined;
  return row.better === "higher" ? pgqrs.median / row.median : row.median / pgqrs.median;
}

function find(results: readonly Measurement[], key: { scenario: string; system: string; metric: string }): Measurement | undefined {
  return results.find((row) => row.scenario === key.scenario && row.system === key.system && row.metric === key.metric);
}

interface Target {
  goal: string;
  measured: number | undefined;
  met: (value: number) => boolean;
  show: (value: number) => string;
}

function targets(results: readonly Measurement[], settings: BenchSettings): Target[] {
  const ratio = (scenario: string, system: string, metric = "throughput") => {
    const row = find(results, { scenario, system, metric });
    return row ? ratioOf(row, results) : undefined;
  };
  const pgqrs = (scenario: string, metric: string) => find(results, { scenario, system: "pgqrs", metric })?.median;
  const times = (value: number) => `${value.toFixed(2)}×`;
  const ms = (value: number) => `${formatValue(value)} ms`;
  const overhead = pgqrs("step-overhead", "step write");
  const floor = find(results, { scenario: "step-overhead", system: "floor (INSERT)", metric: "step write" })?.median;
  const growth = pgqrs("growth", "throughput");
  const drain = find(results, { scenario: "growth", system: "pgqrs (empty tables)", metric: "throughput" })?.median;
  const leaseSeconds = settings.recoveryLeaseMs / 1000;
  return [
    { goal: "drain-1step ≥ 1.0× graphile-worker", measured: ratio("drain-1step", "graphile-worker"), met: (v) => v >= 1, show: times },
    { goal: "drain-1step ≥ 3× pg-boss", measured: ratio("drain-1step", "pg-boss"), met: (v) => v >= 3, show: times },
    { goal: "drain-1step ≥ 5× DBOS", measured: ratio("drain-1step", "dbos"), met: (v) => v >= 5, show: times },
    { goal: "drain-3step ≥ 5× DBOS (runs/s)", measured: ratio("drain-3step", "dbos"), met: (v) => v >= 5, show: times },
    {
      goal: "step-overhead ≤ 1.5× the INSERT floor",
      measured: overhead !== undefined && floor ? overhead / floor : undefined,
      met: (v) => v <= 1.5,
      show: times,
    },
    { goal: "latency p50 ≤ 5 ms", measured: pgqrs("latency", "p50"), met: (v) => v <= 5, show: ms },
    { goal: "latency p95 ≤ 15 ms", measured: pgqrs("latency", "p95"), met: (v) => v <= 15, show: ms },
    {
      goal: `recovery ≤ lease + 2 s (${leaseSeconds + 2} s)`,
      measured: pgqrs("recovery", "time to all done"),
      met: (v) => v <= leaseSeconds + 2,
      show: (v) => `${v.toFixed(2)} s`,
    },
    {
      goal: "growth within 20 % of drain-1step (on empty tables, same scenario)",
      measured: growth !== undefined && drain ? growth / drain : undefined,
      met: (v) => v >= 0.8,
      show: times,
    },
    { goal: "pglite ≥ 500 runs/s", measured: pgqrs("pglite", "throughput"), met: (v) => v >= 500, show: (v) => `${v.toFixed(0)} runs/s` },
  ];
}

function notes(settings: BenchSettings): string[] {
  const lines = [
    `Every system: a fresh database per scenario, worker concurrency ${settings.concurrency} (recovery: ${settings.recoveryConcurrency}), ` +
      `each figure the median of ${settings.repetitions} repetitions (min–max beside it). Throughput runs from the first job's start ` +
      "to the last job finished in the database, one worker process.",
    "graphile-worker 0.17.3: defaults (LISTEN/NOTIFY, unbatched). No steps: drain-3step runs its no-op job. No recovery figure: " +
      "jobs locked by a killed worker stay locked for 4 hours unless an operator calls forceUnlockWorkers.",
    `pg-boss 10.4.2: its worker sleeps the polling interval after every fetch, so each of its ${settings.concurrency} work() loops ` +
      `fetches batchSize ${pgBossBatchSize} at the minimum pollingIntervalSeconds ${pgBossPollingSeconds} and runs them one by one. ` +
      `No steps. Recovery: queue expireInSeconds ${settings.recoveryLeaseMs / 1000}, maintenance every 1 s.`,
    `DBOS 5.3.0: one queue per workflow, workerConcurrency ${settings.concurrency}, minPollingIntervalMs ${dbosPollingIntervalMs} ` +
      "(the default 1000 ms polls would cap it at ~10 runs/s). Recovery: a relaunched executor recovers its own pending workflows.",
    "ceiling: pgbench running `DELETE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1)` on a plain table; its ratio is pgqrs " +
      "drain-1step / ceiling. floor (INSERT): a single-row INSERT transaction on the pgqrs worker's pool; ratio floor / pgqrs.",
  ];
  if (settings.quick) {
    lines.push(
      `QUICK RUN: smaller sizes — drain-1step ${settings.drain1Runs}, drain-3step ${settings.drain3Runs}, latency ${settings.latencyTriggers} ` +
        `triggers, pglite ${settings.pgliteRuns}, growth seed ${settings.growthArchived} archived + ${settings.growthDelayed} delayed runs ` +
        `(full: 1,000,000 + 100,000), ceiling ${settings.ceilingSeconds} s.`,
    );
  }
  return lines;
}

/** The markdown report: machine, results table with ratios, targets, notes. */
export function renderReport(args: {
  machine: Machine;
  settings: BenchSettings;
  results: readonly Measurement[];
  wallSeconds: number;
  /** 1-minute load averages at the start and the end (other work on a shared machine skews absolute figures). */
  load: [number, number];
  /** Scenarios that failed, with their error. */
  failures: readonly string[];
  /** Whether pgqrs ran with the completion-NOTIFY what-if. */
  whatIf: boolean;
}): string {
  const { machine, settings, results } = args;
  const lines = [
    `## pgqrs bench${machine.quick ? " (--quick)" : ""}`,
    "",
    ...(args.whatIf
      ? ["**WHAT-IF RUN: pgqrs's `run-changed` NOTIFY is dropped by a `pg_notify` shadow; these are not pgqrs's real figures.**", ""]
      : []),
    `${machine.startedAt} · Node ${machine.node} · ${machine.postgres.split(" on ")[0] ?? machine.postgres} · ${machine.cpus} CPUs · ` +
      `${args.wallSeconds.toFixed(0)} s wall time · load average ${args.load[0].toFixed(1)} at start, ${args.load[1].toFixed(1)} at end`,
    "",
    "| scenario | system | metric | median | min – max | ratio: pgqrs ÷ system for rates, system ÷ pgqrs for times (>1 = pgqrs better) | note |",
    "|---|---|---|--:|--:|--:|---|",
  ];
  for (const row of results) {
    const ratio = ratioOf(row, results);
    const range = `${formatValue(row.min)} – ${formatValue(row.max)}`;
    lines.push(
      `| ${row.scenario} | ${row.system} | ${row.metric} | ${formatValue(row.median)} ${row.unit} | ${range} | ` +
        `${ratio === undefined ? "—" : `${ratio.toFixed(2)}×`} | ${row.note ?? ""} |`,
    );
  }
  lines.push("", "### Targets", "", "| target | measured | met |", "|---|--:|---|");
  for (const target of targets(results, settings)) {
    const { measured } = target;
    const met = measured === undefined ? "not run" : target.met(measured) ? "yes" : "**no**";
    lines.push(`| ${target.goal} | ${measured === undefined ? "—" : target.show(measured)} | ${met} |`);
  }
  lines.push("", "### Notes", "", ...notes(settings).map((line) => `- ${line}`), "");
  if (args.failures.length > 0) lines.push("### Failed scenarios", "", ...args.failures.map((line) => `- ${line}`), "");
  return `${lines.join("\n")}\n`;
}
