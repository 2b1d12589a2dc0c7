/**
 * Zombie fencing: worker A holds four runs mid-flight (two inside step `two`, two just before returning) and is
 * SIGSTOPped past its lease; worker B reclaims and finishes them; then A is SIGCONTed. A's late step writes and
 * completions must be refused (LeaseLostError in its log), nothing A writes after the stop may land, and each run
 * must show one output per step.
 */
import type { ChaosParams } from "../chaos-workflow";
import { checkRunFigures, countRunFigures } from "../figures";
import { createRecoveryTracker } from "../recovery";
import type { Scenario } from "../scenario";
import { waitFor } from "../sleep";
import { triggerRuns } from "../trigger";
import { countFinal, scenarioFleet, setupScenario } from "./setup";

const leaseMs = 2_000;
const params: ChaosParams[] = [
  { index: 0, mode: "hold-in-step" },
  { index: 1, mode: "hold-in-step" },
  { index: 2, mode: "hold-before-return" },
  { index: 3, mode: "hold-before-return" },
];

function pidOf(json: string | null): number | undefined {
  if (json === null) return undefined;
  const value = JSON.parse(json) as { pid?: unknown } | null;
  return typeof value?.pid === "number" ? value.pid : undefined;
}

/** Run ids named by A's log lines that report a lost lease or a refused write. */
function leaseLostRuns(lines: readonly string[]): Set<string> {
  const runs = new Set<string>();
  for (const line of lines) {
    if (!/LEASE_LOST|LeaseLostError/.test(line)) continue;
    const match = /"runId":"(\d+)"/.exec(line);
    if (match?.[1] !== undefined) runs.add(match[1]);
  }
  return runs;
}

/** Scenario 4: zombie fencing. */
export const zombieFencing: Scenario = {
  name: "zombie-fencing",
  title: "a worker SIGSTOPped past its lease while another takes its runs, then SIGCONTed",
  timeoutMs: 90_000,
  async run(context) {
    const { store, monitor, database } = await setupScenario(context, "zombie");
    const { checks } = context;
    const runIds = await triggerRuns(store, params);
    const fleet = scenarioFleet(context, {
      scenario: "zombie",
      spec: { url: database.secretUrl, concurrency: 4, leaseMs, pollIntervalMs: 200, maxAttempts: 10, stepDelayMs: 20, holdMs: 3_000, verbose: true },
    });
    const zombie = fleet.start();
    const held = new Set<string>();
    zombie.onEvent((event) => void (event.chaos === "hold" && held.add(event.runId)));
    await zombie.ready;
    const allHeld = await waitFor(() => held.size === runIds.length, { timeoutMs: 30_000, intervalMs: 20, signal: context.signal });
    checks.expect("the zombie holds every run mid-flight", allHeld, `${held.size}/${runIds.length} holding`);
    const [clock] = await monitor.query<{ now: string }>("select now()::text as now");
    const stoppedAt = Date.now();
    zombie.signal("SIGSTOP");
    const tracker = createRecoveryTracker(monitor);
    await tracker.track({ workerId: zombie.workerId ?? "", at: stoppedAt });
    context.log(`SIGSTOP ${zombie.label} (pid ${zombie.pid}) holding ${held.size} runs`);
    const rescuer = fleet.start();
    await rescuer.ready;
    const rescued = await waitFor(async () => (await countFinal(monitor, runIds)) === runIds.length, {
      timeoutMs: 40_000,
      intervalMs: 100,
      signal: context.signal,
    });
    checks.expect("another worker finished the zombie's runs while it was stopped", rescued, `${await countFinal(monitor, runIds)}/4 final`);
    // Keep it frozen until its holds are long overdue, so on SIGCONT its late writes race its heartbeat.
    await waitFor(() => Date.now() - stoppedAt >= 2 * leaseMs + 500, { timeoutMs: 10_000, intervalMs: 50, signal: context.signal });
    const stoppedForMs = Date.now() - stoppedAt;
    checks.expect("the zombie was stopped past its lease", stoppedForMs > leaseMs, `${stoppedForMs} ms stopped, lease ${leaseMs} ms`);
    const recovery = await tracker.settle(1_000);
    zombie.signal("SIGCONT");
    context.log(`SIGCONT ${zombie.label} after ${stoppedForMs} ms`);
    const refusedAll = await waitFor(() => leaseLostRuns(zombie.lines).size === runIds.length, {
      timeoutMs: 15_000,
      intervalMs: 100,
      signal: context.signal,
    });
    checks.expect("LeaseLostError surfaced in the zombie's log for each of its runs", refusedAll, `${leaseLostRuns(zombie.lines).size}/4 runs`);
    // The zombie's step functions keep running after the abort (nothing can stop user code): wait for their audit
    // rows, so the late executions are there to be counted and shown unrecorded.
    const countLate = async (): Promise<number> =>
      (
        await monitor.query<{ n: number }>("select count(*)::int as n from chaos.audit where pid = $1 and at > $2::timestamptz", [
          zombie.pid,
          clock?.now,
        ])
      )[0]?.n ?? 0;
    const inStep = params.filter((item) => item.mode === "hold-in-step").length;
    const lateRan = await waitFor(async () => (await countLate()) >= inStep, { timeoutMs: 10_000, intervalMs: 100, signal: context.signal });
    const lateExecutions = await countLate();
    checks.expect("the zombie's held steps did run to the end after SIGCONT", lateRan, `${lateExecutions} late executions audited`);
    const refusedWrites = zombie.lines.filter((line) => line.includes("store write refused")).length;
    checks.expect("the store refused the zombie's late writes", refusedWrites >= 1, `${refusedWrites} refused (saveStep / completeRun)`);
    const exits = await fleet.stopAll();
    checks.expect("both workers survived and stopped cleanly", exits.every((exit) => exit.code === 0), JSON.stringify(exits));

    const runRows = await monitor.query<{ id: string; output: string | null }>(
      "select id::text as id, output::text as output from pgqrs.runs where id = any($1::bigint[])",
      [runIds],
    );
    const completedByRescuer = runRows.filter((row) => pidOf(row.output) === rescuer.pid).length;
    checks.expect("every run was completed by the rescuer, none by the zombie", completedByRescuer === runIds.length, `${completedByRescuer}/4`);
    const lateZombieSteps = await monitor.query<{ n: number }>(
      `select count(*)::int as n from pgqrs.steps where run_id = any($1::bigint[]) and completed_at > $2::timestamptz
       and (output->>'pid')::int = $3`,
      [runIds, clock?.now, zombie.pid],
    );
    const late = lateZombieSteps[0]?.n ?? 0;
    checks.expect("no step output written by the zombie after it was stopped", late === 0, `${late} late zombie step outputs`);
    checks.expect("the zombie never reported a run succeeded", !zombie.lines.some((line) => line.includes('"status":"SUCCESS"')), "");
    const figures = await countRunFigures(monitor, { runIds, stepsPerRun: 3 });
    checkRunFigures(checks, figures, { succeeded: runIds.length });
    context.log(
      `zombie: ${refusedWrites} late writes refused by the store, ${lateExecutions} late step executions (audited, not recorded)`,
    );
    return {
      runs: figures.runs,
      succeeded: figures.succeeded,
      failed: figures.failed,
      lost: figures.lost,
      duplicateStepRecords: figures.duplicateStepRecords,
      stepReexecutions: figures.stepReexecutions,
      maxRecoveryMs: Math.max(0, ...recovery.durations),
      faults: 1,
    };
  },
};
