import { connectClient } from "../db";
import { drainOnce } from "../drain-runner";
import type { Scenario } from "../measurement";
import { interleaved } from "../rounds";
import { nowMs, summarise } from "../stats";
import { systemDatabase } from "../system-database";
import type { SystemDatabase } from "../system-database";
import { pgqrsSystem } from "../systems/pgqrs";
import { seedArchivedSql, seedDelayedSql } from "../systems/pgqrs-seed";
import { spawnWorker } from "../worker-process";
import type { WorkerProcess } from "../worker-process";

/** Rows per seeding statement: big enough to be fast, small enough to keep each transaction's memory modest. */
const seedChunk = 250_000;

async function seed(url: string, options: { archived: number; delayed: number }): Promise<void> {
  const client = await connectClient(url);
  try {
    for (let done = 0; done < options.archived; done += seedChunk) {
      await client.query(seedArchivedSql, ["noop1", Math.min(seedChunk, options.archived - done)]);
    }
    for (let done = 0; done < options.delayed; done += seedChunk) {
      await client.query(seedDelayedSql, ["noop1", Math.min(seedChunk, options.delayed - done)]);
    }
    await client.query("vacuum analyze pgqrs.messages, pgqrs.runs, pgqrs.steps");
  } finally {
    await client.end();
  }
}

interface Arm {
  label: "seeded" | "empty";
  database: SystemDatabase;
  worker: WorkerProcess;
  rates: number[];
}

/**
 * `growth`: `drain-1step` (pgqrs) on tables that already hold `growthArchived` finished runs (with their steps and
 * archived messages) and `growthDelayed` runs delayed 30 days, of the same workflow — seeded with bulk SQL. Its
 * repetitions alternate with the same drain on empty tables, the baseline the growth target compares with.
 */
export const growth: Scenario = {
  name: "growth",
  async run(context) {
    if (!context.systems.includes("pgqrs")) return [];
    const { settings } = context;
    const arms: Arm[] = [];
    try {
      for (const label of ["seeded", "empty"] as const) {
        const database = await systemDatabase(pgqrsSystem, `growth-${label}`, settings);
        const worker = spawnWorker({ system: "pgqrs", url: database.url, kind: "noop1", concurrency: settings.concurrency });
        arms.push({ label, database, worker, rates: [] });
      }
      const seeding = nowMs();
      await seed(arms[0]?.database.url ?? "", { archived: settings.growthArchived, delayed: settings.growthDelayed });
      context.log(`growth: seeded ${settings.growthArchived} archived + ${settings.growthDelayed} delayed runs in ${((nowMs() - seeding) / 1000).toFixed(1)} s`);
      await Promise.all(arms.map((arm) => arm.worker.ready));
      await interleaved(arms, settings.repetitions, async (arm, rep) => {
        const { seconds } = await drainOnce({ system: pgqrsSystem, url: arm.database.url, kind: "noop1", count: settings.drain1Runs, worker: arm.worker });
        arm.rates.push(settings.drain1Runs / seconds);
        context.log(`growth pgqrs ${arm.label} #${rep + 1}: ${arm.rates[arm.rates.length - 1]?.toFixed(0)} runs/s`);
      });
    } finally {
      for (const arm of arms) {
        await arm.worker.stop();
        await arm.database.drop();
      }
    }
    const [seeded, empty] = arms;
    const note = `on ${settings.growthArchived.toLocaleString("en-US")} archived + ${settings.growthDelayed.toLocaleString("en-US")} delayed runs`;
    return [
      { scenario: "growth", system: "pgqrs", metric: "throughput", unit: "runs/s", better: "higher", note, ...summarise(seeded?.rates ?? []) },
      {
        scenario: "growth",
        system: "pgqrs (empty tables)",
        metric: "throughput",
        unit: "runs/s",
        better: "higher",
        note: "baseline, repetitions alternating with the row above",
        ...summarise(empty?.rates ?? []),
      },
    ];
  },
};
