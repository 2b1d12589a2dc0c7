/**
 * The shared shape of the connection-fault scenarios: two workers work through a batch of three-step runs while
 * faults are injected at set points of progress. No worker process may exit, every run must end SUCCESS, and
 * the workers must answer `/healthz` with 200 afterwards (they reconnected).
 */
import type { Monitor } from "../database";
import { checkRunFigures, countRunFigures } from "../figures";
import { timeToNextStep } from "../recovery";
import type { ScenarioContext, ScenarioFigures } from "../scenario";
import { waitFor } from "../sleep";
import { normalParams, triggerRuns } from "../trigger";
import { countFinal, scenarioFleet, setupScenario } from "./setup";

/** What a connection-fault scenario injects. */
export interface ConnectionFaultPlan {
  label: string;
  runs: number;
  /** Fractions of finished runs at which a fault is injected, ascending. */
  at: number[];
  /**
   * Injects one fault and describes it. `startedAt` (epoch ms) is when it began; steps committed after `over`
   * (the connections are gone, or the new server process started) count as recovered work.
   */
  inject(monitor: Monitor, databaseName: string): Promise<{ description: string; ok: boolean; startedAt: number; over: number }>;
}

async function healthStatus(port: number): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3_000) })).status;
  } catch {
    return 0;
  }
}

const pollIntervalMs = 5_000;

async function listenerCount(monitor: Monitor, databaseName: string): Promise<number> {
  const [row] = await monitor.query<{ n: number }>(
    "select count(*)::int as n from pg_stat_activity where datname = $1 and application_name = 'pgqrs-listener'",
    [databaseName],
  );
  return row?.n ?? 0;
}

async function metricsText(port: number): Promise<string> {
  try {
    return await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(3_000) })).text();
  } catch {
    return "";
  }
}

/** Runs the plan and returns its figures; the checks go to the context. */
export async function runConnectionFaults(context: ScenarioContext, plan: ConnectionFaultPlan): Promise<ScenarioFigures> {
  const { store, monitor, database } = await setupScenario(context, plan.label);
  const runIds = await triggerRuns(store, normalParams(plan.runs));
  context.log(`triggered ${runIds.length} runs`);
  const fleet = scenarioFleet(context, {
    scenario: plan.label,
    // A slow fallback poll, so the wake-up probe below can tell NOTIFY wake-ups from polls.
    spec: { url: database.secretUrl, concurrency: 10, leaseMs: 5_000, pollIntervalMs, maxAttempts: 100, stepDelayMs: 40, holdMs: 0, verbose: false },
  });
  fleet.start();
  fleet.start();
  const ports = new Map<string, number>();
  for (const handle of fleet.all) handle.onEvent((event) => void (event.chaos === "ready" && ports.set(handle.label, event.port)));
  await Promise.all(fleet.all.map((handle) => handle.ready));
  const recoveries: number[] = [];
  let faults = 0;
  let unrecovered = 0;
  const { checks } = context;
  for (const fraction of plan.at) {
    const reached = await waitFor(async () => (await countFinal(monitor, runIds)) >= fraction * runIds.length, {
      timeoutMs: 120_000,
      intervalMs: 50,
      signal: context.signal,
    });
    if (!reached) break;
    const final = await countFinal(monitor, runIds);
    const fault = await plan.inject(monitor, database.name);
    faults += 1;
    checks.expect(`fault ${faults} injected`, fault.ok, fault.description);
    // Recovery: from the start of the fault until the first step output committed after it was over.
    const resumedAfter = await timeToNextStep(monitor, { at: fault.over, timeoutMs: 60_000 });
    const recovered = resumedAfter === undefined ? undefined : fault.over - fault.startedAt + resumedAfter;
    if (recovered === undefined) unrecovered += 1;
    else recoveries.push(recovered);
    context.log(`fault ${faults} at ${final}/${runIds.length} final: ${fault.description}; work resumed ${recovered === undefined ? "—" : Math.round(recovered)} ms after it began`);
  }
  const finished = await waitFor(async () => (await countFinal(monitor, runIds)) === runIds.length, {
    timeoutMs: 180_000,
    intervalMs: 250,
    signal: context.signal,
  });
  checks.expect("every run final", finished, `${await countFinal(monitor, runIds)}/${runIds.length} final`);
  // The workers' LISTEN connections came back: one per worker, and an idle worker wakes on a trigger at once.
  const listening = await waitFor(async () => (await listenerCount(monitor, database.name)) === fleet.all.length, {
    timeoutMs: 15_000,
    intervalMs: 200,
    signal: context.signal,
  });
  checks.expect("every worker's LISTEN connection is back", listening, `${await listenerCount(monitor, database.name)} listening`);
  const wakeups: number[] = [];
  for (let probe = 0; probe < 3 && !context.signal.aborted; probe++) {
    const started = Date.now();
    const [probeId] = await triggerRuns(store, normalParams(1, plan.runs + probe));
    if (probeId !== undefined) runIds.push(probeId);
    await waitFor(async () => (await countFinal(monitor, [probeId ?? ""])) === 1, { timeoutMs: pollIntervalMs * 2, intervalMs: 20 });
    wakeups.push(Date.now() - started);
  }
  checks.expect(
    `idle workers wake on NOTIFY after the faults (each probe run done in < ${pollIntervalMs / 2} ms, the poll is ${pollIntervalMs} ms)`,
    wakeups.length === 3 && wakeups.every((ms) => ms < pollIntervalMs / 2),
    `${wakeups.join(", ")} ms`,
  );
  checks.expect(`all ${plan.at.length} faults injected mid-run`, faults === plan.at.length, `${faults} injected`);
  checks.expect("work resumed after every fault", unrecovered === 0, `${unrecovered} faults with no step committed within 60 s`);
  const health = await Promise.all([...ports.values()].map((port) => healthStatus(port)));
  // The metrics page must never show the password either: it joins the captured lines checked for it.
  const metrics = await Promise.all([...ports.values()].map((port) => metricsText(port)));
  context.captured.push(...metrics);
  checks.expect("every worker serves /metrics", metrics.every((text) => text.includes("# TYPE")), `${metrics.map((text) => text.length).join(", ")} bytes`);
  checks.expect("every worker answers /healthz 200 afterwards", health.length === 2 && health.every((status) => status === 200), `statuses ${health.join(", ")}`);
  checks.expect(
    "no worker process exited",
    fleet.unexpectedExits.length === 0,
    fleet.unexpectedExits.map((item) => `${item.handle.label}: ${JSON.stringify(item.exit)}`).join("; "),
  );
  const exits = await fleet.stopAll();
  checks.expect("every worker stopped cleanly on SIGTERM", exits.every((exit) => exit.code === 0), JSON.stringify(exits));
  const figures = await countRunFigures(monitor, { runIds, stepsPerRun: 3 });
  checkRunFigures(checks, figures, { succeeded: runIds.length });
  return {
    runs: figures.runs,
    succeeded: figures.succeeded,
    failed: figures.failed,
    lost: figures.lost,
    duplicateStepRecords: figures.duplicateStepRecords,
    stepReexecutions: figures.stepReexecutions,
    maxRecoveryMs: Math.max(0, ...recoveries),
    faults,
  };
}
