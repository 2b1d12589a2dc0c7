/**
 * Measures the latency from `sendEvent` to the waiting run's next step on local PostgreSQL, with one idle
 * worker: 50 runs, one at a time, each PAUSED in `ctx.waitForEvent` when the event is sent. Logs p50 / p95 / max.
 * The worker's fallback poll is 10 s, so a fast answer can only come from the store's notification.
 * Run it alone with `npx vitest run test/event-latency.test.ts`.
 */
import { performance } from "node:perf_hooks";
import { run, workflow } from "@pgqrs/client";
import { defineWorkflow, type WorkflowContext } from "@pgqrs/core";
import { postgresAvailable } from "@pgqrs/vitest-config/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueName, waitForRun, type OpenedStore } from "./e2e/harness";
import { openPostgresStore } from "./e2e/postgres";
import { createWorkerPool } from "./e2e/workers";

const hasPostgres = await postgresAvailable();
const samples = 50;
const pollIntervalMs = 10_000;

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

describe.skipIf(!hasPostgres)("sendEvent → next step latency on PostgreSQL", () => {
  let opened: OpenedStore | undefined;
  const workers = createWorkerPool();
  beforeAll(async () => {
    opened = await openPostgresStore();
  });
  afterAll(async () => {
    await workers.stopAll();
    await opened?.close();
  });

  it(`wakes the waiting run through the notification, ${samples} times in a row`, async () => {
    const store = opened?.store;
    if (store === undefined) throw new Error("the postgres store is not open");
    const definition = defineWorkflow({ name: uniqueName("latency") });
    await store.createWorkflow({ name: definition.name });
    const nextStepAt = new Map<string, number>();
    await workers.start({
      store,
      definition,
      pollIntervalMs,
      handler: async (ctx: WorkflowContext) => {
        const payload = await ctx.waitForEvent<{ n: number }>("wait", "go");
        await ctx.step("next", () => void nextStepAt.set(ctx.runId, performance.now()));
        return payload.n;
      },
    });

    const latencies: number[] = [];
    for (let n = 0; n < samples; n++) {
      const message = await workflow(definition).trigger({}).execute(store);
      await waitForRun({ store, runId: message.runId, accept: (info) => info.status === "PAUSED" });
      const sentAt = performance.now();
      await run().status(message).store(store).sendEvent("go", { n });
      await expect(run().status(message).store(store).result({ timeoutMs: 5_000 })).resolves.toBe(n);
      latencies.push((nextStepAt.get(message.runId) ?? Number.NaN) - sentAt);
    }

    const sorted = [...latencies].sort((left, right) => left - right);
    const p50 = percentile(sorted, 0.5);
    const p95 = percentile(sorted, 0.95);
    const format = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(
      `sendEvent → next step, local PostgreSQL, idle worker, ${samples} runs: ` +
        `p50 ${format(p50)}, p95 ${format(p95)}, min ${format(sorted[0] ?? Number.NaN)}, max ${format(sorted.at(-1) ?? Number.NaN)}`,
    );
    expect(latencies.every((ms) => Number.isFinite(ms) && ms > 0)).toBe(true);
    // Far below the 10 s fallback poll: every run was woken by the notification, not found by polling.
    expect(sorted.at(-1)).toBeLessThan(pollIntervalMs / 2);
  }, 120_000);
});
