/**
 * kill -9 storm: four worker processes work through 2,000 runs of the three-step workflow while, every 1–3 s, a
 * random worker is SIGKILLed and a new one started. Every run must end SUCCESS with each step recorded once.
 */
import { checkRunFigures, countRunFigures } from "../figures";
import { createRecoveryTracker } from "../recovery";
import type { Scenario } from "../scenario";
import { sleep } from "../sleep";
import { triggerSteadily } from "../trigger";
import { countFinal, scenarioFleet, setupScenario } from "./setup";

const runCount = 2_000;
const workerCount = 4;
const leaseMs = 2_000;
/** Traffic lasts at least this long, so the storm kills about a dozen workers however fast they drain. */
const stormMs = 24_000;

/** Scenario 1: the kill -9 storm. */
export const killStorm: Scenario = {
  name: "kill-9-storm",
  title: "4 workers, 2,000 three-step runs, a random worker SIGKILLed and replaced every 1–3 s",
  timeoutMs: 240_000,
  async run(context) {
    const { store, monitor, database } = await setupScenario(context, "storm");
    const fleet = scenarioFleet(context, {
      scenario: "storm",
      // Crashes count as attempts (SPEC §6): a run caught in many kills must not be failed by the storm.
      spec: { url: database.secretUrl, concurrency: 10, leaseMs, pollIntervalMs: 250, maxAttempts: 1_000, stepDelayMs: 60, holdMs: 0, verbose: false },
    });
    for (let index = 0; index < workerCount; index++) fleet.start();
    await Promise.all(fleet.all.map((handle) => handle.ready));
    // Runs arrive while the storm goes on, paced and with a short backlog, as traffic would.
    const runIds: string[] = [];
    const producing = triggerSteadily(store, { total: runCount, backlog: 60, signal: context.signal, runIds, spreadOverMs: stormMs });
    let produced = false;
    void producing.finally(() => {
      produced = true;
    });
    const tracker = createRecoveryTracker(monitor);
    let kills = 0;
    let finalCount = 0;
    while (!context.signal.aborted) {
      await sleep(1_000 + Math.random() * 2_000, context.signal);
      finalCount = await countFinal(monitor, runIds);
      if ((produced && finalCount === runIds.length) || context.signal.aborted) break;
      const candidates = fleet.live().filter((handle) => handle.workerId !== undefined);
      const victim = candidates[Math.floor(Math.random() * candidates.length)];
      if (victim === undefined) continue;
      const at = Date.now();
      await fleet.kill(victim);
      kills += 1;
      const replacement = fleet.start();
      await tracker.track({ workerId: victim.workerId ?? "", at });
      const booting = fleet.live().filter((handle) => handle.workerId === undefined).length;
      context.log(`kill ${kills}: ${victim.label} (pid ${victim.pid}), started ${replacement.label}; ${booting} starting; ${finalCount}/${runIds.length} runs final`);
    }
    await producing;
    const recovery = await tracker.settle(30_000);
    await fleet.allReady(30_000);
    const survivors = fleet.live();
    await fleet.stopAll();
    const figures = await countRunFigures(monitor, { runIds, stepsPerRun: 3 });
    const { checks } = context;
    checks.expect(`${runCount} runs triggered`, runIds.length === runCount, `${runIds.length} triggered`);
    checkRunFigures(checks, figures, { succeeded: runCount });
    checks.expect("at least 5 workers killed mid-run", kills >= 5, `${kills} kills`);
    checks.expect("every killed worker's runs were recovered", recovery.pending === 0, `${recovery.pending} kills not recovered within 30 s`);
    const unclean = survivors.filter((handle) => handle.exit?.code !== 0);
    checks.expect("the workers still running stopped cleanly on SIGTERM", unclean.length === 0, unclean.map((handle) => `${handle.label}: ${JSON.stringify(handle.exit)}`).join("; "));
    checks.expect(
      "no worker died except the ones killed",
      fleet.unexpectedExits.length === 0,
      fleet.unexpectedExits.map((item) => `${item.handle.label}: ${JSON.stringify(item.exit)}`).join("; "),
    );
    return {
      runs: figures.runs,
      succeeded: figures.succeeded,
      failed: figures.failed,
      lost: figures.lost,
      duplicateStepRecords: figures.duplicateStepRecords,
      stepReexecutions: figures.stepReexecutions,
      maxRecoveryMs: Math.max(0, ...recovery.durations),
      faults: kills,
    };
  },
};
