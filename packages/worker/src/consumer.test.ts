import { ConfigurationError, defineWorkflow, IncompatibleStoreError, InvalidNameError, UnknownWorkflowError } from "@pgqrs/core";
import { createMemoryStore } from "@pgqrs/core/testing";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { spyStore, trackWorkers } from "../test/support/harness";
import { consumer } from "./index";

const track = trackWorkers();

async function storeWith(workflow = "jobs") {
  const memory = createMemoryStore();
  await memory.createWorkflow({ name: workflow });
  return spyStore(memory);
}

const handler = async () => "done";

describe("consumer().create() validation", () => {
  it.each([
    ["an empty worker name", () => consumer("", 0, "jobs").handler(handler), InvalidNameError],
    ["a worker name with a space", () => consumer("a b", 0, "jobs").handler(handler), InvalidNameError],
    ["a bad workflow name", () => consumer("w", 0, "../x").handler(handler), InvalidNameError],
  ])("refuses %s with InvalidNameError", async (_, build, errorClass) => {
    const { store, calls } = await storeWith();
    await expect(build().create(store)).rejects.toSatisfy((error) => errorClass.isInstance(error));
    expect(calls.map((call) => call.method)).toEqual([]);
  });

  it.each([
    ["handler", () => consumer("w", 0, "jobs")],
    ["port", () => consumer("w", -1, "jobs").handler(handler)],
    ["port", () => consumer("w", 65_536, "jobs").handler(handler)],
    ["port", () => consumer("w", 80.5, "jobs").handler(handler)],
    ["concurrency", () => consumer("w", 0, "jobs").handler(handler).concurrency(0)],
    ["concurrency", () => consumer("w", 0, "jobs").handler(handler).concurrency(2.5)],
    ["prefetch", () => consumer("w", 0, "jobs").handler(handler).prefetch(-1)],
    ["prefetch", () => consumer("w", 0, "jobs").handler(handler).prefetch(1.5)],
    ["leaseMs", () => consumer("w", 0, "jobs").handler(handler).leaseMs(0)],
    ["leaseMs", () => consumer("w", 0, "jobs").handler(handler).leaseMs(Number.NaN)],
    ["pollIntervalMs", () => consumer("w", 0, "jobs").handler(handler).pollIntervalMs(-5)],
    ["pollIntervalMs", () => consumer("w", 0, "jobs").handler(handler).pollIntervalMs(Infinity)],
    ["maxPayloadBytes", () => consumer("w", 0, "jobs").handler(handler).maxPayloadBytes(0)],
    ["shutdownTimeoutMs", () => consumer("w", 0, "jobs").handler(handler).shutdownTimeoutMs(-1)],
  ])("refuses a bad %s with ConfigurationError before touching the store", async (option, build) => {
    const { store, calls } = await storeWith();
    const error: unknown = await build()
      .create(store)
      .then(() => undefined, (reason: unknown) => reason);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as ConfigurationError).option).toBe(option);
    expect((error as Error).message).toContain(option);
    expect(calls).toEqual([]);
  });

  it("refuses a store of another specVersion with IncompatibleStoreError", async () => {
    const { store } = await storeWith();
    const other = { ...store, specVersion: "v2" };
    await expect(consumer("w", 0, "jobs").handler(handler).create(other)).rejects.toSatisfy((error) => IncompatibleStoreError.isInstance(error));
  });

  it("refuses a workflow that was never created with UnknownWorkflowError, registering nothing", async () => {
    const { store, calls } = await storeWith("jobs");
    const error: unknown = await consumer("w", 0, "reports")
      .handler(handler)
      .create(store)
      .then(() => undefined, (reason: unknown) => reason);
    expect(UnknownWorkflowError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('createWorkflow("reports")');
    expect(calls.map((call) => call.method)).toEqual(["getWorkflow"]);
  });

  it("refuses a port already in use with ConfigurationError naming the port, and registers nothing", async () => {
    const { store, calls } = await storeWith();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    try {
      const { port } = blocker.address() as AddressInfo;
      const error: unknown = await consumer("w", port, "jobs")
        .handler(handler)
        .create(store)
        .then(() => undefined, (reason: unknown) => reason);
      expect((error as ConfigurationError).option).toBe("port");
      expect(calls.map((call) => call.method)).not.toContain("registerWorker");
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it("registers a new worker id per incarnation of the same name and picks a free port for 0", async () => {
    const { store } = await storeWith();
    const first = track(await consumer("worker-1", 0, "jobs").handler(handler).handleSignals(false).create(store));
    const second = track(await consumer("worker-1", 0, "jobs").handler(handler).handleSignals(false).create(store));
    expect(first.name).toBe("worker-1");
    expect(first.id).not.toBe(second.id);
    expect(first.port).toBeGreaterThan(0);
    expect(first.port).not.toBe(second.port);
    const workers = await store.listWorkers();
    expect(workers.map((worker) => worker.workerId).sort()).toEqual([first.id, second.id].sort());
    await first.stop();
    const [stopped] = (await store.listWorkers()).filter((worker) => worker.workerId === first.id);
    expect(stopped?.stoppedAt).toBeInstanceOf(Date);
  });

  it("types the handler by the definition, and as unknown for a bare name", () => {
    const zipFiles = defineWorkflow({
      name: "zip_files",
      input: z.object({ bucket: z.string() }),
      output: z.object({ fileCount: z.number() }),
    });
    consumer("w", 0, zipFiles).handler(async (_ctx, params) => {
      expectTypeOf(params).toEqualTypeOf<{ bucket: string }>();
      return { fileCount: params.bucket.length };
    });
    // @ts-expect-error the output schema wants { fileCount: number }
    consumer("w", 0, zipFiles).handler(async () => ({ fileCount: "3" }));
    consumer("w", 0, "zip_files").handler((_ctx, params) => {
      expectTypeOf(params).toEqualTypeOf<unknown>();
    });
  });
});
