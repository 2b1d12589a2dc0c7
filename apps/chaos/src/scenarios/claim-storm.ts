/**
 * Claim storm: 100 claimers, each on a connection of its own, race `store.claimRuns` over 10,000 queued runs and
 * complete what they get. Every run must be handed out exactly once: one claim per run in the claimers' tally,
 * `attempt` 1 on every run, no completion refused.
 */
import { LeaseLostError, type WorkflowStore } from "@pgqrs/core";
import { connect, createPostgresStore } from "@pgqrs/postgres-store";
import pg from "pg";
import { chaosWorkflowName } from "../chaos-workflow";
import { createMonitor, createScenarioDatabase } from "../database";
import { checkRunFigures, countRunFigures } from "../figures";
import { createLineLogger } from "../line-logger";
import type { Scenario } from "../scenario";
import { sleep } from "../sleep";
import { normalParams, triggerRuns } from "../trigger";

const runCount = 10_000;
const claimerCount = 100;

/** Opens the pool's one connection, retrying while the server has no free slot (other clients may be finishing). */
async function openConnection(pool: pg.Pool, signal: AbortSignal): Promise<boolean> {
  while (!signal.aborted) {
    try {
      (await pool.connect()).release();
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code !== "53300") throw error;
      await sleep(250, signal);
    }
  }
  return false;
}

interface Claimer {
  index: number;
  store: WorkflowStore;
  pool: pg.Pool;
  workerId: string;
}

/** Scenario 5: 100 claimers on 10,000 runs. */
export const claimStorm: Scenario = {
  name: "claim-storm",
  title: "100 concurrent claimers (one connection each) on 10,000 runs",
  timeoutMs: 180_000,
  async run(context) {
    const { checks } = context;
    const database = await createScenarioDatabase("claims");
    context.defer(() => database.drop());
    const logger = createLineLogger({ verbose: false, write: (line) => context.captured.push(line) });
    // Seeding is not under test: its connections skip the WAL flush wait so 10,000 triggers take seconds.
    const seeder = await connect(database.secretUrl, { migrate: false, logger, poolConfig: { max: 8, options: "-c synchronous_commit=off" } });
    await seeder.createWorkflow(chaosWorkflowName);
    const runIds = await triggerRuns(seeder, normalParams(runCount), 8);
    await seeder.close();
    context.log(`triggered ${runIds.length} runs`);

    const claimers: Claimer[] = [];
    context.defer(async () => {
      for (const claimer of claimers) {
        await claimer.store.close();
        await claimer.pool.end().catch(() => undefined);
      }
    });
    for (let index = 0; index < claimerCount; index++) {
      // One connection per claimer, kept open for the whole storm (no idle timeout).
      const pool = new pg.Pool({ connectionString: database.secretUrl, max: 1, idleTimeoutMillis: 0 });
      pool.on("error", () => undefined);
      const store = createPostgresStore({ pool, logger });
      claimers.push({ index, store, pool, workerId: "" });
    }
    // Connect and register every claimer first, so the storm starts all at once. The server must have a free slot
    // for each (max_connections ≥ 100 with nothing else connected); a claimer waits for one while others finish.
    const opened = await Promise.all(claimers.map((claimer) => openConnection(claimer.pool, context.signal)));
    const connected = opened.filter(Boolean).length;
    checks.expect(`${claimerCount} claimer connections open at once`, connected === claimerCount, connected === claimerCount ? `${connected} connected` : `${connected} connected; raise max_connections or stop other clients`);
    if (connected < claimerCount) {
      return { runs: runIds.length, succeeded: 0, failed: 0, lost: 0, duplicateStepRecords: 0, stepReexecutions: 0, maxRecoveryMs: 0, faults: 0 };
    }
    await Promise.all(
      claimers.map(async (claimer) => {
        claimer.workerId = (await claimer.store.registerWorker({ name: `claimer-${claimer.index}`, workflow: chaosWorkflowName })).workerId;
      }),
    );
    const tally = new Map<string, number>();
    const claimersUsed = new Set<number>();
    let refused = 0;
    let inFlight = 0;
    let peakInFlight = 0;
    let claimCalls = 0;
    const started = Date.now();
    await Promise.all(
      claimers.map(async (claimer) => {
        while (tally.size < runCount && !context.signal.aborted) {
          inFlight += 1;
          peakInFlight = Math.max(peakInFlight, inFlight);
          claimCalls += 1;
          const batch = await claimer.store
            .claimRuns({ workerId: claimer.workerId, workflow: chaosWorkflowName, limit: 1 + Math.floor(Math.random() * 10), leaseMs: 600_000 })
            .finally(() => {
              inFlight -= 1;
            });
          if (batch.length === 0) {
            await sleep(5);
            continue;
          }
          claimersUsed.add(claimer.index);
          for (const run of batch) tally.set(run.runId, (tally.get(run.runId) ?? 0) + 1);
          for (const run of batch) {
            try {
              await claimer.store.completeRun({ runId: run.runId, leaseToken: run.leaseToken, output: { claimer: claimer.index } });
            } catch (error) {
              if (!LeaseLostError.isInstance(error)) throw error;
              refused += 1;
            }
          }
        }
      }),
    );
    const elapsed = Date.now() - started;
    context.log(`${tally.size} runs claimed in ${elapsed} ms by ${claimersUsed.size} claimers (${claimCalls} claimRuns calls, peak ${peakInFlight} at once)`);
    await Promise.all(claimers.map((claimer) => claimer.store.deregisterWorker({ workerId: claimer.workerId })));
    // Free the 100 slots before the checks connect.
    for (const claimer of claimers.splice(0)) {
      await claimer.store.close();
      await claimer.pool.end();
    }

    const monitor = createMonitor(database.url);
    context.defer(() => monitor.close());
    const claimedTwice = [...tally.values()].reduce((sum, count) => sum + (count - 1), 0);
    checks.expect("every run claimed", tally.size === runCount, `${tally.size}/${runCount}`);
    checks.expect("no run handed to two claimers", claimedTwice === 0, `${claimedTwice} extra claims`);
    const [attempts] = await monitor.query<{ n: number }>("select count(*)::int as n from pgqrs.runs where attempt <> 1");
    checks.expect("every run's attempt is 1 (claimed once)", (attempts?.n ?? -1) === 0, `${attempts?.n} runs with attempt <> 1`);
    checks.expect("no completion refused", refused === 0, `${refused} refused`);
    checks.expect("the claimers really raced", peakInFlight >= claimerCount / 2 && claimersUsed.size >= claimerCount * 0.9, `peak ${peakInFlight} claims in flight, ${claimersUsed.size} claimers got runs`);
    const figures = await countRunFigures(monitor, { runIds, stepsPerRun: 0 });
    checkRunFigures(checks, figures, { succeeded: runCount });
    return {
      runs: figures.runs,
      succeeded: figures.succeeded,
      failed: figures.failed,
      lost: figures.lost,
      duplicateStepRecords: figures.duplicateStepRecords,
      stepReexecutions: figures.stepReexecutions,
      maxRecoveryMs: 0,
      faults: 0,
    };
  },
};
