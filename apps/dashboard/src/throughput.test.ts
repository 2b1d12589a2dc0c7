import type { StoredError } from "@pgqrs/core/storage";
import { createFakeClock, createMemoryStore } from "@pgqrs/core/testing";
import type { FakeClock, MemoryStore } from "@pgqrs/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { computeThroughput } from "./throughput";

const minute = 60_000;
const failure: StoredError = { name: "Error", message: "boom", attempt: 1 };

describe("computeThroughput", () => {
  let clock: FakeClock;
  let store: MemoryStore<FakeClock>;
  let workerId: string;

  /** Enqueues a run now and finishes it `afterMs` later (the clock moves on). */
  async function finishRun(options: { afterMs: number; fail?: boolean }): Promise<void> {
    await store.enqueue({ workflow: "w", input: null });
    const [claimed] = await store.claimRuns({ workerId, workflow: "w", limit: 1, leaseMs: 10 * 3_600_000 });
    if (claimed === undefined) throw new Error("nothing claimed");
    clock.advance(options.afterMs);
    const lease = { runId: claimed.runId, leaseToken: claimed.leaseToken };
    if (options.fail === true) await store.failRun({ ...lease, error: failure });
    else await store.completeRun({ ...lease, output: null });
  }

  beforeEach(async () => {
    clock = createFakeClock({ start: new Date("2024-06-01T10:00:00.000Z") });
    store = createMemoryStore({ clock });
    await store.createWorkflow("w");
    workerId = (await store.registerWorker({ name: "t", workflow: "w" })).workerId;
  });

  it("puts each finished run in the minute it finished, oldest bucket first", async () => {
    await finishRun({ afterMs: 1000 }); // finishes 10:00:01
    clock.advance(30 * minute);
    await finishRun({ afterMs: 1000, fail: true }); // 10:30:02
    await finishRun({ afterMs: 1000 }); // 10:30:03
    clock.set(new Date("2024-06-01T10:59:30.000Z"));
    await finishRun({ afterMs: 0 }); // 10:59:30, the last bucket
    await store.enqueue({ workflow: "w", input: null }); // QUEUED: not counted

    const result = await computeThroughput({ store, now: clock.now() });
    expect(result.buckets).toHaveLength(60);
    expect(result.complete).toBe(true);
    expect(result.buckets[0]?.at).toBe("2024-06-01T09:59:30.000Z");
    const nonEmpty = result.buckets.flatMap((bucket, index) => (bucket.success + bucket.error > 0 ? [{ index, ...bucket }] : []));
    expect(nonEmpty.map(({ index, success, error }) => ({ index, success, error }))).toEqual([
      { index: 0, success: 1, error: 0 },
      { index: 30, success: 1, error: 1 },
      { index: 59, success: 1, error: 0 },
    ]);
  });

  it("leaves out runs that finished before the window", async () => {
    await finishRun({ afterMs: 0 });
    clock.advance(61 * minute);
    await finishRun({ afterMs: 0 });
    const result = await computeThroughput({ store, now: clock.now() });
    expect(result.buckets.reduce((sum, bucket) => sum + bucket.success, 0)).toBe(1);
  });

  it("counts a run created before the window that finished inside it, within the lookback", async () => {
    await finishRun({ afterMs: 90 * minute });
    const within = await computeThroughput({ store, now: clock.now() });
    expect(within.buckets.at(-1)?.success).toBe(1);
    const shortLookback = await computeThroughput({ store, now: clock.now(), lookbackMs: 10 * minute });
    expect(shortLookback.buckets.at(-1)?.success).toBe(0);
    expect(shortLookback.complete).toBe(true);
  });

  it("says the result is incomplete when the budget runs out", async () => {
    for (let index = 0; index < 3; index += 1) await finishRun({ afterMs: 10 });
    const result = await computeThroughput({ store, now: clock.now(), budget: 1 });
    expect(result.complete).toBe(false);
    // What was read is still counted: the newest run.
    expect(result.buckets.at(-1)?.success).toBe(1);
    expect((await computeThroughput({ store, now: clock.now(), budget: 2 })).complete).toBe(false);
    expect((await computeThroughput({ store, now: clock.now(), budget: 3 })).complete).toBe(true);
  });

  it("follows the given window and bucket sizes", async () => {
    await finishRun({ afterMs: 0 });
    const result = await computeThroughput({ store, now: clock.now(), windowMs: 10 * minute, bucketMs: 5 * minute });
    expect(result.buckets).toHaveLength(2);
    expect(result.buckets[1]?.success).toBe(1);
  });
});
