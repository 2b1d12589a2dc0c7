import { waitUntilDone } from "../drain-runner";
import type { Measurement, Scenario } from "../measurement";
import { interleaved } from "../rounds";
import type { BenchSettings } from "../settings";
import { nowMs, percentile, sleep, summarise } from "../stats";
import { systemDatabase } from "../system-database";
import type { SystemDatabase } from "../system-database";
import { loadSystem } from "../systems/index";
import type { BenchSystem, Producer } from "../systems/types";
import { spawnWorker } from "../worker-process";
import type { WorkerProcess } from "../worker-process";

const percentiles = [50, 95, 99] as const;

interface Contender {
  system: BenchSystem;
  database: SystemDatabase;
  worker: WorkerProcess;
  producer: Producer;
  /** This repetition's samples (ms). */
  samples: number[];
  /** How long each trigger call of this repetition took (ms), for the progress log. */
  sendMs: number[];
  /** Per percentile, one value per repetition. */
  perRep: number[][];
}

/** One repetition: an idle worker, then `latencyTriggers` triggers spaced `latencySpacingMs` apart. */
async function measureOnce(contender: Contender, settings: BenchSettings): Promise<void> {
  const { system, database, worker, producer } = contender;
  contender.samples = [];
  contender.sendMs = [];
  const running = worker.start();
  running.catch(() => undefined);
  try {
    // Warm up as a long-running worker would be: a burst that opens its pool's connections (and, for pgqrs, prepares
    // its statements on them); then let it settle into idle (listening, between polls) before the first trigger.
    const warmUp = Array.from({ length: 2 * settings.concurrency }, (_, i) => producer.send("latency", { i: -1 - i }));
    await Promise.all(warmUp);
    await waitUntilDone({ system, url: database.url, kind: "latency", since: nowMs(), timeoutMs: 60_000 });
    await sleep(500);
    contender.samples = [];
    const started = nowMs();
    const sends: Promise<void>[] = [];
    for (let i = 0; i < settings.latencyTriggers; i += 1) {
      const wait = started + i * settings.latencySpacingMs - nowMs();
      if (wait > 0) await sleep(wait);
      const sentAt = nowMs();
      sends.push(producer.send("latency", { i, sentAt }).then(() => void contender.sendMs.push(nowMs() - sentAt)));
    }
    await Promise.all(sends);
    await waitUntilDone({ system, url: database.url, kind: "latency", since: started, timeoutMs: 60_000 });
    // The last run's event may trail its completion by an IPC hop.
    for (let tries = 0; contender.samples.length < settings.latencyTriggers && tries < 100; tries += 1) await sleep(10);
    if (contender.samples.length < settings.latencyTriggers) {
      throw new Error(`bench: ${system.name} reported ${contender.samples.length} of ${settings.latencyTriggers} latencies`);
    }
    percentiles.forEach((p, index) => contender.perRep[index]?.push(percentile(contender.samples, p)));
  } finally {
    await worker.halt();
  }
}

/**
 * `latency`: triggers into an idle worker → trigger → first step start (the trigger's time travels in the params),
 * p50 / p95 / p99 of each repetition; each figure is the median over repetitions.
 */
export const latency: Scenario = {
  name: "latency",
  async run(context) {
    const { settings } = context;
    const contenders: Contender[] = [];
    try {
      for (const name of context.systems) {
        const system = await loadSystem(name);
        const database = await systemDatabase(system, "latency", settings);
        const worker = spawnWorker({ system: name, url: database.url, kind: "latency", concurrency: settings.concurrency });
        const contender: Contender = { system, database, worker, producer: await system.producer(database.url), samples: [], sendMs: [], perRep: percentiles.map(() => []) };
        worker.onEvent((event) => {
          if (event.type === "latency") contender.samples.push(event.ms);
        });
        contenders.push(contender);
      }
      await Promise.all(contenders.map((contender) => contender.worker.ready));
      await interleaved(contenders, settings.repetitions, async (contender, rep) => {
        await measureOnce(contender, settings);
        const [p50, , p99] = contender.perRep.map((values) => values[values.length - 1] ?? 0);
        const send = percentile(contender.sendMs, 50).toFixed(1);
        context.log(`latency ${contender.system.name} #${rep + 1}: p50 ${p50?.toFixed(1)} ms, p99 ${p99?.toFixed(1)} ms (trigger call p50 ${send} ms)`);
      });
    } finally {
      for (const contender of contenders) {
        await contender.producer.close();
        await contender.worker.stop();
        await contender.database.drop();
      }
    }
    const rows: Measurement[] = [];
    for (const { system, perRep } of contenders) {
      percentiles.forEach((p, index) => {
        rows.push({ scenario: "latency", system: system.name, metric: `p${p}`, unit: "ms", better: "lower", ...summarise(perRep[index] ?? []) });
      });
    }
    return rows;
  },
};
