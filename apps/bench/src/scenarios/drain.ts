import { drainOnce } from "../drain-runner";
import type { Measurement, Scenario, ScenarioContext } from "../measurement";
import { interleaved } from "../rounds";
import { summarise } from "../stats";
import { systemDatabase } from "../system-database";
import type { SystemDatabase } from "../system-database";
import { loadSystem } from "../systems/index";
import type { BenchSystem, JobKind } from "../systems/types";
import { spawnWorker } from "../worker-process";
import type { WorkerProcess } from "../worker-process";

const noStepsNote = "no steps: one no-op job";

interface Contender {
  system: BenchSystem;
  database: SystemDatabase;
  worker: WorkerProcess;
  rates: number[];
}

async function drainScenario(context: ScenarioContext, options: { name: string; kind: JobKind; count: number; steps: number }) {
  const { settings } = context;
  const contenders: Contender[] = [];
  try {
    // Every system gets its database and its (idle) worker process first; then the repetitions take turns.
    for (const name of context.systems) {
      const system = await loadSystem(name);
      const database = await systemDatabase(system, options.name, settings);
      const worker = spawnWorker({ system: name, url: database.url, kind: options.kind, concurrency: settings.concurrency });
      contenders.push({ system, database, worker, rates: [] });
    }
    await Promise.all(contenders.map((contender) => contender.worker.ready));
    await interleaved(contenders, settings.repetitions, async (contender, rep) => {
      const { system, database, worker } = contender;
      const { seconds, cpuMicrosPerJob } = await drainOnce({ system, url: database.url, kind: options.kind, count: options.count, worker });
      contender.rates.push(options.count / seconds);
      const cpu = `worker CPU ${cpuMicrosPerJob.toFixed(0)} µs/run`;
      context.log(`${options.name} ${system.name} #${rep + 1}: ${(options.count / seconds).toFixed(0)} runs/s (${cpu})`);
    });
  } finally {
    for (const contender of contenders) {
      await contender.worker.stop();
      await contender.database.drop();
    }
  }
  const rows: Measurement[] = [];
  for (const { system, rates } of contenders) {
    const note = !system.hasSteps && options.steps > 1 ? noStepsNote : undefined;
    rows.push({ scenario: options.name, system: system.name, metric: "throughput", unit: "runs/s", better: "higher", note, ...summarise(rates) });
    if (options.steps > 1 && system.hasSteps) {
      const stepRates = rates.map((rate) => rate * options.steps);
      rows.push({ scenario: options.name, system: system.name, metric: "step throughput", unit: "steps/s", better: "higher", ...summarise(stepRates) });
    }
  }
  return rows;
}

/** `drain-1step`: pre-enqueued runs of a 1-step no-op workflow (a no-op job), one worker process. */
export const drain1Step: Scenario = {
  name: "drain-1step",
  run: (context) => drainScenario(context, { name: "drain-1step", kind: "noop1", count: context.settings.drain1Runs, steps: 1 }),
};

/** `drain-3step`: pre-enqueued runs of a 3-step no-op workflow; graphile-worker and pg-boss run their no-op job. */
export const drain3Step: Scenario = {
  name: "drain-3step",
  run: (context) => drainScenario(context, { name: "drain-3step", kind: "noop3", count: context.settings.drain3Runs, steps: 3 }),
};
