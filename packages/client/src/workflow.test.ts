import {
  ConfigurationError,
  defaultMaxPayloadBytes,
  defineWorkflow,
  IncompatibleStoreError,
  InvalidInputError,
  InvalidNameError,
  NotJsonError,
  PayloadTooLargeError,
  UnknownWorkflowError,
} from "@pgqrs/core";
import type { WorkflowStore } from "@pgqrs/core/storage";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { claimOne, setupMemoryStore, totalRuns } from "../test/support/memory";
import type { TriggerOptions } from "./trigger-options";
import { workflow } from "./workflow";

const zipFiles = defineWorkflow({
  name: "zip_files",
  input: z.object({ bucket: z.string(), prefix: z.string(), limit: z.number().int().positive().default(100) }),
  output: z.object({ archivePath: z.string(), fileCount: z.number() }),
});

describe("workflow().trigger().execute()", () => {
  it("enqueues a QUEUED run and returns a JSON-safe message", async () => {
    const { clock, store } = await setupMemoryStore("zip_files");
    const message = await workflow(zipFiles).trigger({ bucket: "b", prefix: "p/" }).execute(store);

    const now = new Date(clock.now()).toISOString();
    expect(message).toEqual({
      id: expect.any(String),
      runId: expect.any(String),
      workflow: "zip_files",
      createdAt: now,
      visibleAt: now,
      created: true,
    });
    expect(JSON.parse(JSON.stringify(message))).toEqual(message);
    const run = await store.getRun({ runId: message.runId });
    expect(run).toMatchObject({ status: "QUEUED", messageId: message.id, workflow: "zip_files", attempt: 0 });
    // The params as given (JSON form), not the schema's output: the worker validates them again.
    expect(run?.input).toEqual({ bucket: "b", prefix: "p/" });
  });

  it("accepts a bare workflow name", async () => {
    const { store } = await setupMemoryStore("plain");
    const client = workflow("plain");
    expect(client.name).toBe("plain");
    const message = await client.trigger({ anything: [1, "two", null] }).execute(store);
    expect((await store.getRun({ runId: message.runId }))?.input).toEqual({ anything: [1, "two", null] });
  });

  it("drops undefined properties as JSON does", async () => {
    const { store } = await setupMemoryStore("plain");
    const message = await workflow("plain").trigger({ kept: 1, dropped: undefined }).execute(store);
    expect((await store.getRun({ runId: message.runId }))?.input).toEqual({ kept: 1 });
  });

  it.each(["", "a b", "x".repeat(200), "../x", "-leading"])("refuses the workflow name %j and writes nothing", async (name) => {
    const { store } = await setupMemoryStore("zip_files");
    const error = await workflow(name).trigger({}).execute(store).catch((caught: unknown) => caught);
    expect(InvalidNameError.isInstance(error)).toBe(true);
    expect(String((error as Error).message)).toContain("1-128 characters");
    expect(await totalRuns(store)).toBe(0);
  });

  it("refuses what is neither a name nor a definition", async () => {
    const { store } = await setupMemoryStore("plain");
    const notADefinition = workflow({ name: "plain" } as unknown as string).trigger({}).execute(store);
    await expect(notADefinition).rejects.toSatisfy((error) => ConfigurationError.isInstance(error) && error.option === "workflow");
    await expect(workflow(undefined as unknown as string).trigger({}).execute(store)).rejects.toSatisfy((error) =>
      InvalidNameError.isInstance(error),
    );
    expect(await totalRuns(store)).toBe(0);
  });

  it("treats null options as none", async () => {
    const { store } = await setupMemoryStore("plain");
    const message = await workflow("plain")
      .trigger({}, null as unknown as TriggerOptions)
      .execute(store);
    expect(message.created).toBe(true);
  });

  it("refuses params that are not JSON, naming the path, and writes nothing", async () => {
    const { store } = await setupMemoryStore("plain");
    const error = await workflow("plain")
      .trigger({ when: new Date(0) })
      .execute(store)
      .catch((caught: unknown) => caught);
    expect(NotJsonError.isInstance(error)).toBe(true);
    expect((error as NotJsonError).path).toBe("params.when");
    expect((error as Error).message).toMatch(/^params\.when: Date is not JSON; /);
    await expect(workflow("plain").trigger({ list: [1, new Map()] }).execute(store)).rejects.toThrow(/params\.list\[1\]: Map is not JSON/);
    await expect(workflow("plain").trigger({ big: 1n }).execute(store)).rejects.toThrow(NotJsonError);
    await expect(workflow("plain").trigger(undefined).execute(store)).rejects.toThrow(NotJsonError);
    expect(await totalRuns(store)).toBe(0);
  });

  it("refuses params over the size limit and writes nothing", async () => {
    const { store } = await setupMemoryStore("plain");
    const huge = { blob: "x".repeat(defaultMaxPayloadBytes) };
    const error = await workflow("plain").trigger(huge).execute(store).catch((caught: unknown) => caught);
    expect(PayloadTooLargeError.isInstance(error)).toBe(true);
    expect((error as PayloadTooLargeError).limitBytes).toBe(defaultMaxPayloadBytes);
    expect((error as Error).message).toContain(`${defaultMaxPayloadBytes} bytes`);

    const small = workflow("plain").trigger({ blob: "x".repeat(100) }, { maxPayloadBytes: 50 });
    await expect(small.execute(store)).rejects.toThrow(PayloadTooLargeError);
    expect(await totalRuns(store)).toBe(0);
    await workflow("plain").trigger({ blob: "x".repeat(100) }, { maxPayloadBytes: 200 }).execute(store);
    expect(await totalRuns(store)).toBe(1);
  });

  it("validates params with the input schema before writing", async () => {
    const { store } = await setupMemoryStore("zip_files");
    const bad = { bucket: 3, prefix: "p/" } as unknown as { bucket: string; prefix: string };
    const error = await workflow(zipFiles).trigger(bad).execute(store).catch((caught: unknown) => caught);
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect((error as InvalidInputError).workflow).toBe("zip_files");
    expect((error as InvalidInputError).issues).toEqual([expect.objectContaining({ path: "bucket" })]);
    expect(await totalRuns(store)).toBe(0);
  });

  it("rejects a workflow the store does not know and writes nothing", async () => {
    const { store } = await setupMemoryStore();
    const error = await workflow("never_created").trigger({}).execute(store).catch((caught: unknown) => caught);
    expect(UnknownWorkflowError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('store.createWorkflow("never_created")');
    expect(await totalRuns(store)).toBe(0);
  });

  it("rejects a store of another contract version", async () => {
    const { store } = await setupMemoryStore("plain");
    const future = { ...store, specVersion: "v2" } as unknown as WorkflowStore;
    await expect(workflow("plain").trigger({}).execute(future)).rejects.toSatisfy((error) => IncompatibleStoreError.isInstance(error));
    await expect(workflow("plain").trigger({}).execute({} as WorkflowStore)).rejects.toSatisfy((error) => IncompatibleStoreError.isInstance(error));
    expect(await totalRuns(store)).toBe(0);
  });

  it.each<[string, string, TriggerOptions]>([
    ["an empty idempotencyKey", "idempotencyKey", { idempotencyKey: "" }],
    ["an idempotencyKey of 256 characters", "idempotencyKey", { idempotencyKey: "k".repeat(256) }],
    ["a numeric idempotencyKey", "idempotencyKey", { idempotencyKey: 7 as unknown as string }],
    ["a negative delayMs", "delayMs", { delayMs: -1 }],
    ["a NaN delayMs", "delayMs", { delayMs: Number.NaN }],
    ["an infinite delayMs", "delayMs", { delayMs: Number.POSITIVE_INFINITY }],
    ["a string delayMs", "delayMs", { delayMs: "10" as unknown as number }],
    ["an invalid runAt Date", "runAt", { runAt: new Date("not a date") }],
    ["a string runAt", "runAt", { runAt: "2030-01-01" as unknown as Date }],
    ["delayMs with runAt", "delayMs", { delayMs: 10, runAt: new Date() }],
    ["maxPayloadBytes 0", "maxPayloadBytes", { maxPayloadBytes: 0 }],
  ])("refuses %s (ConfigurationError) and writes nothing", async (_label, option, options) => {
    const { store } = await setupMemoryStore("plain");
    const error = await workflow("plain").trigger({}, options).execute(store).catch((caught: unknown) => caught);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as ConfigurationError).option).toBe(option);
    expect((error as Error).message).toContain(option);
    expect(await totalRuns(store)).toBe(0);
  });

  it("validates before any store call", async () => {
    const { store } = await setupMemoryStore("plain");
    const calls: string[] = [];
    const watched: WorkflowStore = {
      ...store,
      enqueue: async (args) => {
        calls.push("enqueue");
        return store.enqueue(args);
      },
    };
    await expect(workflow("plain").trigger({ when: new Date() }, { idempotencyKey: "k" }).execute(watched)).rejects.toThrow();
    await expect(workflow("plain").trigger({}, { delayMs: 1, runAt: new Date() }).execute(watched)).rejects.toThrow();
    expect(calls).toEqual([]);
  });
});

describe("idempotencyKey", () => {
  it("returns the first message and creates nothing on a repeat", async () => {
    const { store } = await setupMemoryStore("plain", "other");
    const first = await workflow("plain").trigger({ n: 1 }, { idempotencyKey: "order-42" }).execute(store);
    const again = await workflow("plain").trigger({ n: 2 }, { idempotencyKey: "order-42" }).execute(store);
    expect(first.created).toBe(true);
    expect(again).toEqual({ ...first, created: false });
    expect(await totalRuns(store)).toBe(1);
    expect((await store.getRun({ runId: first.runId }))?.input).toEqual({ n: 1 });

    const otherKey = await workflow("plain").trigger({ n: 3 }, { idempotencyKey: "order-43" }).execute(store);
    const otherWorkflow = await workflow("other").trigger({ n: 4 }, { idempotencyKey: "order-42" }).execute(store);
    expect(new Set([first.runId, otherKey.runId, otherWorkflow.runId]).size).toBe(3);
    expect(await totalRuns(store)).toBe(3);
  });

  it("accepts a key of 255 characters", async () => {
    const { store } = await setupMemoryStore("plain");
    const key = "k".repeat(255);
    const first = await workflow("plain").trigger({}, { idempotencyKey: key }).execute(store);
    const again = await workflow("plain").trigger({}, { idempotencyKey: key }).execute(store);
    expect(again.runId).toBe(first.runId);
    expect(again.created).toBe(false);
  });
});

describe("delayMs and runAt", () => {
  it("keeps a delayed run invisible until its time (store clock)", async () => {
    const { clock, store } = await setupMemoryStore("plain");
    const message = await workflow("plain").trigger({}, { delayMs: 60_000 }).execute(store);
    expect(Date.parse(message.visibleAt) - Date.parse(message.createdAt)).toBe(60_000);

    clock.advance(59_999);
    await expect(claimOne(store, "plain")).rejects.toThrow(/no visible run/);
    clock.advance(1);
    expect((await claimOne(store, "plain")).runId).toBe(message.runId);
  });

  it("makes a runAt run visible at that time", async () => {
    const { clock, store } = await setupMemoryStore("plain");
    const runAt = new Date(clock.now() + 3_600_000);
    const message = await workflow("plain").trigger({}, { runAt }).execute(store);
    expect(message.visibleAt).toBe(runAt.toISOString());

    clock.advance(3_599_999);
    await expect(claimOne(store, "plain")).rejects.toThrow(/no visible run/);
    clock.advance(1);
    expect((await claimOne(store, "plain")).runId).toBe(message.runId);
  });

  it("runs at once with delayMs 0", async () => {
    const { store } = await setupMemoryStore("plain");
    const message = await workflow("plain").trigger({}, { delayMs: 0 }).execute(store);
    expect(message.visibleAt).toBe(message.createdAt);
    expect((await claimOne(store, "plain")).runId).toBe(message.runId);
  });
});
