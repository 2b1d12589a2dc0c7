import { describe, expect, it } from "vitest";
import { createBatcher } from "./batcher";
import type { BatcherOptions } from "./batcher";

interface Item {
  key: string;
  value: number;
}

/** A `run` whose statements stay pending until finished one by one, recording each batch. */
function controlledRun() {
  const batches: Item[][] = [];
  const pending: { items: Item[]; resolve: (results: (number | Error)[]) => void; reject: (error: Error) => void }[] = [];
  return {
    batches,
    inFlight: () => pending.length,
    run(items: Item[]): Promise<(number | Error)[]> {
      batches.push(items);
      return new Promise((resolve, reject) => pending.push({ items, resolve, reject }));
    },
    /** Ends the oldest statement: each item's value doubled, or the given error for the whole batch. */
    finish(error?: Error): void {
      const next = pending.shift();
      if (!next) throw new Error("no statement in flight");
      if (error) next.reject(error);
      else next.resolve(next.items.map((item) => (item.value < 0 ? new Error(`refused ${item.value}`) : item.value * 2)));
    },
  };
}

function batcherOver(run: BatcherOptions<Item, number>["run"], overrides: Partial<BatcherOptions<Item, number>> = {}) {
  return createBatcher<Item, number>({
    run,
    keyOf: (item) => item.key,
    maxBatch: 100,
    maxInFlight: 1,
    retryAlone: () => true,
    ...overrides,
  });
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("createBatcher", () => {
  it("sends a lone call at once, alone, with no timer", async () => {
    const db = controlledRun();
    const batcher = batcherOver((items) => db.run(items));
    const result = batcher.submit({ key: "a", value: 1 });
    await tick();
    expect(db.batches).toEqual([[{ key: "a", value: 1 }]]);
    db.finish();
    await expect(result).resolves.toBe(2);
  });

  it("puts calls made in the same tick into one statement", async () => {
    const db = controlledRun();
    const batcher = batcherOver((items) => db.run(items));
    const results = [1, 2, 3].map((value) => batcher.submit({ key: String(value), value }));
    await tick();
    expect(db.batches).toHaveLength(1);
    expect(db.batches[0]?.map((item) => item.value)).toEqual([1, 2, 3]);
    db.finish();
    await expect(Promise.all(results)).resolves.toEqual([2, 4, 6]);
  });

  it("queues calls while maxInFlight statements are out and sends them together when one returns", async () => {
    const db = controlledRun();
    const batcher = batcherOver((items) => db.run(items), { maxInFlight: 2 });
    const first = batcher.submit({ key: "a", value: 1 });
    await tick();
    const second = batcher.submit({ key: "b", value: 2 });
    await tick();
    const queued = [3, 4, 5].map((value) => batcher.submit({ key: String(value), value }));
    await tick();
    expect(db.inFlight()).toBe(2);
    expect(db.batches.map((batch) => batch.map((item) => item.value))).toEqual([[1], [2]]);

    db.finish();
    await expect(first).resolves.toBe(2);
    await tick();
    expect(db.batches.map((batch) => batch.map((item) => item.value))).toEqual([[1], [2], [3, 4, 5]]);
    db.finish();
    db.finish();
    await expect(second).resolves.toBe(4);
    await expect(Promise.all(queued)).resolves.toEqual([6, 8, 10]);
  });

  it("never puts two items with one key in a statement: the later waits for the next, in order", async () => {
    const db = controlledRun();
    const batcher = batcherOver((items) => db.run(items));
    const results = [
      batcher.submit({ key: "run-1", value: 1 }),
      batcher.submit({ key: "run-2", value: 2 }),
      batcher.submit({ key: "run-1", value: 3 }),
      batcher.submit({ key: "run-1", value: 4 }),
    ];
    await tick();
    expect(db.batches.map((batch) => batch.map((item) => item.value))).toEqual([[1, 2]]);
    db.finish();
    await tick();
    expect(db.batches.map((batch) => batch.map((item) => item.value))).toEqual([[1, 2], [3]]);
    db.finish();
    await tick();
    expect(db.batches.map((batch) => batch.map((item) => item.value))).toEqual([[1, 2], [3], [4]]);
    db.finish();
    await expect(Promise.all(results)).resolves.toEqual([2, 4, 6, 8]);
  });

  it("carries at most maxBatch items per statement", async () => {
    const db = controlledRun();
    const batcher = batcherOver((items) => db.run(items), { maxBatch: 2, maxInFlight: 3 });
    const results = [1, 2, 3, 4, 5].map((value) => batcher.submit({ key: String(value), value }));
    await tick();
    expect(db.batches.map((batch) => batch.map((item) => item.value))).toEqual([[1, 2], [3, 4], [5]]);
    db.finish();
    db.finish();
    db.finish();
    await expect(Promise.all(results)).resolves.toEqual([2, 4, 6, 8, 10]);
  });

  it("rejects only the item whose result is an error", async () => {
    const db = controlledRun();
    const batcher = batcherOver((items) => db.run(items));
    const results = [1, -7, 3].map((value) => batcher.submit({ key: String(value), value }));
    await tick();
    db.finish();
    await expect(results[0]).resolves.toBe(2);
    await expect(results[1]).rejects.toThrow("refused -7");
    await expect(results[2]).resolves.toBe(6);
    expect(db.batches).toHaveLength(1);
  });

  it("tries each item of a statement that threw again alone, so one bad item fails alone", async () => {
    const batches: number[][] = [];
    const batcher = batcherOver(async (items) => {
      batches.push(items.map((item) => item.value));
      if (items.some((item) => item.value === 13)) throw new Error("invalid input syntax");
      return items.map((item) => item.value * 2);
    });
    const results = [1, 13, 3].map((value) => batcher.submit({ key: String(value), value }));
    await expect(results[0]).resolves.toBe(2);
    await expect(results[1]).rejects.toThrow("invalid input syntax");
    await expect(results[2]).resolves.toBe(6);
    expect(batches).toEqual([[1, 13, 3], [1], [13], [3]]);
  });

  it("fails every item of a statement that lost its connection, without trying them again", async () => {
    const batches: number[][] = [];
    const lost = new Error("Connection terminated unexpectedly");
    const batcher = batcherOver(
      async (items) => {
        batches.push(items.map((item) => item.value));
        throw lost;
      },
      { retryAlone: (error) => error !== lost },
    );
    const results = [1, 2].map((value) => batcher.submit({ key: String(value), value }));
    for (const result of results) await expect(result).rejects.toBe(lost);
    expect(batches).toEqual([[1, 2]]);
  });

  it("fails the items a statement returned no result for", async () => {
    const batcher = batcherOver(async () => [2]);
    const results = [1, 2].map((value) => batcher.submit({ key: String(value), value }));
    await expect(results[0]).resolves.toBe(2);
    await expect(results[1]).rejects.toThrow(/returned 1 results for 2 items/);
  });

  it("drain waits for what is queued and in flight", async () => {
    const db = controlledRun();
    const batcher = batcherOver((items) => db.run(items));
    void batcher.submit({ key: "a", value: 1 });
    void batcher.submit({ key: "a", value: 2 });
    let drained = false;
    const draining = batcher.drain().then(() => (drained = true));
    await tick();
    db.finish();
    await tick();
    expect(drained).toBe(false);
    db.finish();
    await draining;
    expect(drained).toBe(true);
    await expect(batcher.drain()).resolves.toBeUndefined();
  });
});
