import type { Measurement, Scenario } from "../measurement";
import { interleaved } from "../rounds";
import { summarise } from "../stats";
import { systemDatabase } from "../system-database";
import type { SystemDatabase } from "../system-database";
import { loadSystem } from "../systems/index";
import type { BenchSystem, Producer, WorkerEvent } from "../systems/types";
import { spawnWorker } from "../worker-process";
import type { WorkerProcess } from "../worker-process";

type OverheadEvent = Extract<WorkerEvent, { type: "step-overhead" }>;

interface Contender {
  system: BenchSystem;
  database: SystemDatabase;
  worker: WorkerProcess;
  producer: Producer;
  events: OverheadEvent[];
  /** Resolves the wait for the current repetition's report. */
  wake: () => void;
}

/** One repetition: start the worker, trigger one 100-step run, wait for its report, halt. */
async function measureOnce(contender: Contender, rep: number): Promise<OverheadEvent> {
  const reported = new Promise<void>((resolve) => {
    contender.wake = resolve;
  });
  const running = contender.worker.start();
  running.catch(() => undefined);
  try {
    await contender.producer.send("steps100", { i: rep });
    await reported;
  } finally {
    await contender.worker.halt();
  }
  const event = contender.events[contender.events.length - 1];
  if (!event) throw new Error(`bench: ${contender.system.name} reported no step overhead`);
  return event;
}

/**
 * `step-overhead`: one workflow of 100 no-op steps per repetition → ms per step, timed inside the handler from
 * before the first step to after the last. Beside it, the floor: a single-row INSERT transaction, 100 times on the
 * pgqrs worker's own pool right after the run. Systems without steps are not run.
 */
export const stepOverhead: Scenario = {
  name: "step-overhead",
  async run(context) {
    const { settings } = context;
    const contenders: Contender[] = [];
    try {
      for (const name of context.systems) {
        const system = await loadSystem(name);
        if (!system.hasSteps) continue;
        const database = await systemDatabase(system, "step-overhead", settings);
        const worker = spawnWorker({ system: name, url: database.url, kind: "steps100", concurrency: settings.concurrency });
        const contender: Contender = { system, database, worker, producer: await system.producer(database.url), events: [], wake: () => undefined };
        worker.onEvent((event) => {
          // pgqrs reports once its floor is measured too.
          if (event.type === "step-overhead" && (name !== "pgqrs" || event.floorMs !== undefined)) {
            contender.events.push(event);
            contender.wake();
          }
        });
        contenders.push(contender);
      }
      await Promise.all(contenders.map((contender) => contender.worker.ready));
      await interleaved(contenders, settings.stepOverheadRuns, async (contender, rep) => {
        const event = await measureOnce(contender, rep);
        const floor = event.floorMs === undefined ? "" : ` (floor ${event.floorMs.toFixed(2)} ms)`;
        context.log(`step-overhead ${contender.system.name} #${rep + 1}: ${event.msPerStep.toFixed(2)} ms/step${floor}`);
      });
    } finally {
      for (const contender of contenders) {
        await contender.producer.close();
        await contender.worker.stop();
        await contender.database.drop();
      }
    }
    const rows: Measurement[] = [];
    for (const { system, events } of contenders) {
      const perStep = events.map((event) => event.msPerStep);
      rows.push({ scenario: "step-overhead", system: system.name, metric: "step write", unit: "ms/step", better: "lower", ...summarise(perStep) });
      const floors = events.flatMap((event) => (event.floorMs === undefined ? [] : [event.floorMs]));
      if (floors.length === 0) continue;
      rows.push({
        scenario: "step-overhead",
        system: "floor (INSERT)",
        metric: "step write",
        unit: "ms/insert",
        better: "lower",
        reference: { scenario: "step-overhead", metric: "step write" },
        note: "single-row INSERT transaction, same pool",
        ...summarise(floors),
      });
    }
    return rows;
  },
};
