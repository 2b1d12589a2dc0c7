import { ConfigurationError, IncompatibleStoreError, InvalidRunStateError, RunNotFoundError } from "@pgqrs/core";
import type { WorkflowStore } from "@pgqrs/core/storage";
import { describe, expect, it } from "vitest";
import { claimOne, setupMemoryStore } from "../test/support/memory";
import { run } from "./run";
import { workflow } from "./workflow";

async function triggered() {
  const setup = await setupMemoryStore("zip_files");
  const message = await workflow("zip_files").trigger({ bucket: "b" }).execute(setup.store);
  return { ...setup, message };
}

describe("run().status(ref).store(store).get()", () => {
  it("shows a QUEUED run", async () => {
    const { clock, store, message } = await triggered();
    const now = new Date(clock.now()).toISOString();
    expect(await run().status(message).store(store).get()).toEqual({
      runId: message.runId,
      messageId: message.id,
      workflow: "zip_files",
      status: "QUEUED",
      input: { bucket: "b" },
      attempt: 0,
      createdAt: now,
      visibleAt: now,
      steps: [],
    });
  });

  it("shows a SUCCESS run with its output, steps and times", async () => {
    const { clock, store, message } = await triggered();
    const created = new Date(clock.now()).toISOString();
    clock.advance(1_000);
    const claimed = await claimOne(store, "zip_files");
    clock.advance(1_000);
    await store.saveStep({ runId: claimed.runId, leaseToken: claimed.leaseToken, stepId: "list_files", output: ["a"] });
    clock.advance(1_000);
    await store.saveStep({ runId: claimed.runId, leaseToken: claimed.leaseToken, stepId: "void_step", output: undefined });
    clock.advance(1_000);
    await store.completeRun({ runId: claimed.runId, leaseToken: claimed.leaseToken, output: { archivePath: "/a.zip" } });

    const at = (offsetMs: number) => new Date(Date.parse(created) + offsetMs).toISOString();
    const info = await run().status(message).store(store).get();
    expect(info).toEqual({
      runId: message.runId,
      messageId: message.id,
      workflow: "zip_files",
      status: "SUCCESS",
      input: { bucket: "b" },
      output: { archivePath: "/a.zip" },
      attempt: 1,
      createdAt: created,
      startedAt: at(1_000),
      finishedAt: at(4_000),
      steps: [
        { id: "list_files", completedAt: at(2_000) },
        { id: "void_step", completedAt: at(3_000) },
      ],
    });
    expect(JSON.parse(JSON.stringify(info))).toEqual(info);
  });

  it("shows the stored error of an ERROR run", async () => {
    const { store, message } = await triggered();
    const claimed = await claimOne(store, "zip_files");
    const error = { name: "PermanentError", message: "bucket gone", code: "PERMANENT", attempt: 1, stepId: "list_files" };
    await store.failRun({ runId: claimed.runId, leaseToken: claimed.leaseToken, error });
    const info = await run().status(message).store(store).get();
    expect(info.status).toBe("ERROR");
    expect(info.error).toEqual(error);
    expect(info).not.toHaveProperty("output");
    expect(info).not.toHaveProperty("visibleAt");
  });

  it("shows a PAUSED run with its reason and wake-up time", async () => {
    const { clock, store, message } = await triggered();
    const claimed = await claimOne(store, "zip_files");
    await store.pauseRun({ runId: claimed.runId, leaseToken: claimed.leaseToken, delayMs: 3_600_000, reason: "awaiting approval" });
    const info = await run().status(message).store(store).get();
    expect(info).toMatchObject({
      status: "PAUSED",
      pauseReason: "awaiting approval",
      visibleAt: new Date(clock.now() + 3_600_000).toISOString(),
      attempt: 1,
    });
  });

  it("accepts the message, a parsed copy of it, { runId } and the run id string", async () => {
    const { store, message } = await triggered();
    const expected = await run().status(message).store(store).get();
    const parsed: unknown = JSON.parse(JSON.stringify(message));
    expect(await run().status(parsed as { runId: string }).store(store).get()).toEqual(expected);
    expect(await run().status({ runId: message.runId }).store(store).get()).toEqual(expected);
    expect(await run().status(message.runId).store(store).get()).toEqual(expected);
  });

  it.each<[string, unknown]>([
    ["a number", 42],
    ["null", null],
    ["undefined", undefined],
    ["an empty string", ""],
    ["an object without runId", {}],
    ["a numeric runId", { runId: 5 }],
    ["an array", ["1"]],
  ])("refuses %s as ref with a ConfigurationError naming ref", async (_label, ref) => {
    const { store } = await triggered();
    const handle = run()
      .status(ref as string)
      .store(store);
    for (const call of [() => handle.get(), () => handle.result(), () => handle.resume(), () => handle.sendEvent("approved", {}), () => handle.cancel()]) {
      const error = await call().catch((caught: unknown) => caught);
      expect(ConfigurationError.isInstance(error)).toBe(true);
      expect((error as ConfigurationError).option).toBe("ref");
      expect((error as Error).message).toContain("ref");
    }
  });

  it("rejects an unknown run with RunNotFoundError", async () => {
    const { store } = await triggered();
    const handle = run().status("999999").store(store);
    for (const call of [
      () => handle.get(),
      () => handle.result({ timeoutMs: 1_000 }),
      () => handle.resume(),
      () => handle.sendEvent("approved", {}),
      () => handle.cancel(),
    ]) {
      const error = await call().catch((caught: unknown) => caught);
      expect(RunNotFoundError.isInstance(error)).toBe(true);
      expect((error as RunNotFoundError).runId).toBe("999999");
    }
  });

  it("rejects a store of another contract version", async () => {
    const { store, message } = await triggered();
    const future = { ...store, specVersion: "v2" } as unknown as WorkflowStore;
    await expect(run().status(message).store(future).get()).rejects.toSatisfy((error) => IncompatibleStoreError.isInstance(error));
  });
});

describe("run().status(ref).store(store).resume()", () => {
  it("makes a PAUSED run claimable now, keeping its steps", async () => {
    const { clock, store, message } = await triggered();
    const claimed = await claimOne(store, "zip_files");
    await store.saveStep({ runId: claimed.runId, leaseToken: claimed.leaseToken, stepId: "before_pause", output: 1 });
    await store.pauseRun({ runId: claimed.runId, leaseToken: claimed.leaseToken, delayMs: 3_600_000 });
    await expect(claimOne(store, "zip_files")).rejects.toThrow(/no visible run/);

    clock.advance(5_000);
    const info = await run().status(message).store(store).resume();
    expect(info.runId).toBe(message.runId);
    expect(info.visibleAt).toBe(new Date(clock.now()).toISOString());
    expect(info.steps.map((step) => step.id)).toEqual(["before_pause"]);

    const again = await claimOne(store, "zip_files");
    expect(again.runId).toBe(message.runId);
    expect(again.resumedFromPause).toBe(true);
    expect(again.steps.map((step) => step.stepId)).toEqual(["before_pause"]);
  });

  it("refuses a run that is not PAUSED and changes nothing", async () => {
    const { store, message } = await triggered();
    const before = await run().status(message).store(store).get();
    const error = await run()
      .status(message)
      .store(store)
      .resume()
      .catch((caught: unknown) => caught);
    expect(InvalidRunStateError.isInstance(error)).toBe(true);
    expect(await run().status(message).store(store).get()).toEqual(before);
  });
});
