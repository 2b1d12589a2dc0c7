import { PGlite } from "@electric-sql/pglite";
import { defineWorkflow } from "@pgqrs/core";
import { connect } from "@pgqrs/postgres-store";
import { consumer } from "@pgqrs/worker";
import type { Scenario } from "../measurement";
import { nowMs, summarise } from "../stats";
import { reportFirstJob, runJob } from "../systems/job";
import { enqueueQueuedSql } from "../systems/pgqrs-seed";
import type { JobPayload, WorkerEvent } from "../systems/types";

/**
 * `pglite`: `drain-1step` on embedded in-memory PGlite, pgqrs only, in this process (PGlite is one in-process
 * session): bulk-enqueue, then `worker.drain()`, from the first job's start to the drain's end.
 */
export const pglite: Scenario = {
  name: "pglite",
  async run(context) {
    if (!context.systems.includes("pgqrs")) return [];
    const { settings } = context;
    const instance = new PGlite();
    const store = await connect({ pglite: instance });
    const rates: number[] = [];
    try {
      await store.createWorkflow({ name: "noop1" });
      for (let rep = 0; rep < settings.repetitions; rep += 1) {
        await instance.query(enqueueQueuedSql, ["noop1", settings.pgliteRuns]);
        let firstAt = 0;
        const first = reportFirstJob((event: WorkerEvent) => {
          if (event.type === "first-job") firstAt = event.at;
        });
        const worker = await consumer("bench-pglite", 0, defineWorkflow({ name: "noop1" }))
          .handler(async (ctx, params) => {
            first();
            await runJob({ kind: "noop1", payload: params as JobPayload, step: (id, fn) => ctx.step(id, fn), emit: () => undefined, holdMs: 0 });
          })
          .concurrency(settings.concurrency)
          .handleSignals(false)
          .create(store);
        try {
          await worker.drain();
          rates.push(settings.pgliteRuns / ((nowMs() - firstAt) / 1000));
        } finally {
          await worker.stop();
        }
        context.log(`pglite pgqrs #${rep + 1}: ${rates[rates.length - 1]?.toFixed(0)} runs/s`);
      }
    } finally {
      await store.close();
      await instance.close();
    }
    return [{ scenario: "pglite", system: "pgqrs", metric: "throughput", unit: "runs/s", better: "higher", note: "embedded, in-memory", ...summarise(rates) }];
  },
};
