/**
 * Poison run: one run whose handler crashes its process on every delivery (SIGKILL on odd attempts,
 * `process.exit` on even ones) among 300 normal runs. A supervisor restarts crashed workers. The poison run must
 * end ERROR after `maxAttempts` crashes, and the other runs must keep flowing meanwhile and all end SUCCESS.
 */
import type { ChaosParams } from "../chaos-workflow";
import { checkRunFigures, countRunFigures } from "../figures";
import { createRecoveryTracker } from "../recovery";
import type { Scenario } from "../scenario";
import { waitFor } from "../sleep";
import { triggerRuns, triggerSteadily } from "../trigger";
import { countFinal, scenarioFleet, setupScenario } from "./setup";

const maxAttempts = 3;
const normalRuns = 300;

/** Scenario 6: a run that crashes its worker every time. */
export const poisonRun: Scenario = {
  name: "poison-run",
  title: "a run that crashes its worker every time, among 300 normal runs, with a supervisor restarting workers",
  timeoutMs: 150_000,
  async run(context) {
    const { store, monitor, database } = await setupScenario(context, "poison");
    const { checks } = context;
    const fleet = scenarioFleet(context, {
      scenario: "poison",
      supervise: true,
      // One run per worker, so a crash takes down the poison run only.
      spec: { url: database.secretUrl, concurrency: 1, leaseMs: 1_500, pollIntervalMs: 200, maxAttempts, stepDelayMs: 40, holdMs: 0, verbose: false },
    });
    const tracker = createRecoveryTracker(monitor);
    const crashes: { how: string; at: number }[] = [];
    const crashStyles = new Map<number, string>();
    const tracking: Promise<void>[] = [];
    const watchCrashEvents = (handle: ReturnType<typeof fleet.start>): void =>
      handle.onEvent((event) => void (event.chaos === "crash" && crashStyles.set(event.pid, event.how)));
    fleet.onCrash((crashed, exit, replacement) => {
      crashes.push({ how: crashStyles.get(crashed.pid) ?? `unexplained ${exit.signal ?? exit.code}`, at: exit.at });
      if (replacement !== undefined) watchCrashEvents(replacement);
      if (crashed.workerId !== undefined) tracking.push(tracker.track({ workerId: crashed.workerId, at: exit.at }));
      context.log(`${crashed.label} crashed (${crashStyles.get(crashed.pid) ?? JSON.stringify(exit)}); supervisor started ${replacement?.label}`);
    });
    for (let index = 0; index < 3; index++) watchCrashEvents(fleet.start());
    await Promise.all(fleet.all.map((handle) => handle.ready));
    const poison: ChaosParams = { index: -1, mode: "poison" };
    const poisonId = (await triggerRuns(store, [poison]))[0] ?? "";
    // Normal runs arrive steadily with a short backlog, so the poison run's recoveries are not stuck behind a queue.
    const normalIds: string[] = [];
    await triggerSteadily(store, { total: normalRuns, backlog: 20, signal: context.signal, runIds: normalIds });
    const runIds = [poisonId, ...normalIds];
    const finished = await waitFor(async () => (await countFinal(monitor, runIds)) === runIds.length, {
      timeoutMs: 120_000,
      intervalMs: 250,
      signal: context.signal,
    });
    checks.expect("every run final", finished, `${await countFinal(monitor, runIds)}/${runIds.length} final`);
    await Promise.all(tracking);
    const recovery = await tracker.settle(10_000);
    await fleet.allReady(30_000);
    const survivors = fleet.live();
    await fleet.stopAll();
    const unclean = survivors.filter((handle) => handle.exit?.code !== 0);
    checks.expect("the workers still running stopped cleanly on SIGTERM", unclean.length === 0, unclean.map((handle) => `${handle.label}: ${JSON.stringify(handle.exit)}`).join("; "));

    const [poisonRow] = await monitor.query<{ status: string; attempt: number; run_failures: number; error: string | null; finished: number | null }>(
      `select status, attempt, run_failures, error::text as error, (extract(epoch from finished_at) * 1000)::float8 as finished
       from pgqrs.runs where id = $1::bigint`,
      [poisonId],
    );
    const error = poisonRow?.error ? (JSON.parse(poisonRow.error) as { name?: string; code?: string; message?: string }) : undefined;
    checks.expect("the poison run ended ERROR", poisonRow?.status === "ERROR", `status ${poisonRow?.status}`);
    checks.expect(
      "its stored error says the worker kept dying (LeaseExpiredError)",
      error?.code === "LEASE_EXPIRED" && /retry/i.test(error.message ?? ""),
      `${error?.name}: ${error?.message}`,
    );
    checks.expect(`it crashed its worker exactly maxAttempts (${maxAttempts}) times`, crashes.length === maxAttempts, crashes.map((crash) => crash.how).join(", "));
    checks.expect(
      "both crash styles (SIGKILL and process.exit) happened",
      crashes.some((crash) => crash.how === "SIGKILL") && crashes.some((crash) => crash.how === "exit"),
      crashes.map((crash) => crash.how).join(", "),
    );
    const firstCrash = Math.min(...crashes.map((crash) => crash.at));
    const [flowing] = await monitor.query<{ n: number }>(
      `select count(*)::int as n from pgqrs.runs where id = any($1::bigint[]) and status = 'SUCCESS'
       and finished_at > to_timestamp($2::float8 / 1000) and finished_at < to_timestamp($3::float8 / 1000)`,
      [normalIds, firstCrash, poisonRow?.finished ?? 0],
    );
    checks.expect("other runs kept finishing while the poison run crash-looped", (flowing?.n ?? 0) >= 10, `${flowing?.n ?? 0} runs finished between its first crash and its end`);
    const figures = await countRunFigures(monitor, { runIds, stepsPerRun: 3 });
    checkRunFigures(checks, figures, { succeeded: normalRuns, failed: 1 });
    return {
      runs: figures.runs,
      succeeded: figures.succeeded,
      failed: figures.failed,
      lost: figures.lost,
      duplicateStepRecords: figures.duplicateStepRecords,
      stepReexecutions: figures.stepReexecutions,
      maxRecoveryMs: Math.max(0, ...recovery.durations),
      faults: crashes.length,
    };
  },
};
