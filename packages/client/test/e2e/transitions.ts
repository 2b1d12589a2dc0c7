/** Every SPEC §4 transition, plus idempotencyKey, delayMs and result() timeouts, through the public API. */
import { run, workflow } from "@pgqrs/client";
import { defineWorkflow, PermanentError, RunFailedError, Step, TransientError, WaitTimeoutError } from "@pgqrs/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { deferred, uniqueName, waitForRun, waitForStatus } from "./harness";
import type { EndToEndContext } from "./suite";

const fastRetry = { maxAttempts: 3, initialDelayMs: 20, factor: 1, maxDelayMs: 20 };

function zipWorkflow(name: string) {
  return defineWorkflow({
    name,
    input: z.object({ bucket: z.string(), prefix: z.string() }),
    output: z.object({ archivePath: z.string(), fileCount: z.number() }),
    retry: fastRetry,
  });
}

/** Counts how often each step's function really ran. */
function createCounter() {
  const counts = new Map<string, number>();
  return {
    hit: (id: string) => counts.set(id, (counts.get(id) ?? 0) + 1).get(id) ?? 0,
    of: (id: string) => counts.get(id) ?? 0,
  };
}

export function describeTransitions(context: EndToEndContext): void {
  const created = async <T extends { name: string }>(definition: T): Promise<T> => {
    await context.store().createWorkflow({ name: definition.name });
    return definition;
  };

  describe("run statuses", () => {
    it("QUEUED → RUNNING → SUCCESS, with typed output and steps in order", async () => {
      const store = context.store();
      const zipFiles = await created(zipWorkflow(uniqueName("zip_files")));
      const gate = deferred();
      const message = await workflow(zipFiles).trigger({ bucket: "photos", prefix: "2024/" }).execute(store);
      expect((await run().status(message).store(store).get()).status).toBe("QUEUED");

      await context.workers.start({
        store,
        definition: zipFiles,
        handler: async (ctx, params) => {
          const files = await ctx.step("list_files", () => [`${params.prefix}a.jpg`, `${params.prefix}b.jpg`]);
          await ctx.step("download_files", () => gate.promise);
          const archivePath = await ctx.step("create_archive", () => `/tmp/${params.bucket}.zip`);
          return { archivePath, fileCount: files.length };
        },
      });
      const running = await waitForStatus(store, message.runId, "RUNNING");
      expect(running.attempt).toBe(1);
      expect(running.startedAt).toEqual(expect.any(String));
      gate.resolve();

      const result = await run().status(message).store(store).result({ timeoutMs: 10_000 });
      expect(result).toEqual({ archivePath: "/tmp/photos.zip", fileCount: 2 });
      const info = await run().status(message.runId).store(store).get();
      expect(info).toMatchObject({ status: "SUCCESS", attempt: 1, input: { bucket: "photos", prefix: "2024/" }, output: result });
      expect(info.steps.map((step) => step.id)).toEqual(["list_files", "download_files", "create_archive"]);
      expect(info.finishedAt).toEqual(expect.any(String));
    });

    it("transient error → QUEUED on the same runId → SUCCESS from the last completed step", async () => {
      const store = context.store();
      const definition = await created(zipWorkflow(uniqueName("flaky")));
      const counter = createCounter();
      const message = await workflow(definition).trigger({ bucket: "b", prefix: "p" }).execute(store);
      await context.workers.start({
        store,
        definition,
        handler: async (ctx) => {
          await ctx.step("first", () => counter.hit("first"));
          await ctx.step("second", () => {
            if (counter.hit("second") === 1) throw new TransientError("rate limited", { retryAfterMs: 800 });
            return "ok";
          });
          return { archivePath: `/tmp/${ctx.runId}.zip`, fileCount: ctx.attempt };
        },
      });

      const queued = await waitForRun({ store, runId: message.runId, accept: (info) => info.status === "QUEUED" && info.attempt === 1 });
      expect(queued.error).toMatchObject({ name: "TransientError", message: "rate limited", stepId: "second", attempt: 1 });
      expect(queued.steps.map((step) => step.id)).toEqual(["first"]);

      const result = await run().status(message).store(store).result({ timeoutMs: 10_000 });
      expect(result).toEqual({ archivePath: `/tmp/${message.runId}.zip`, fileCount: 2 });
      expect(counter.of("first")).toBe(1);
      expect(counter.of("second")).toBe(2);
      expect((await run().status(message).store(store).get()).steps.map((step) => step.id)).toEqual(["first", "second"]);
    });

    it("permanent error → ERROR, and result() rejects with RunFailedError", async () => {
      const store = context.store();
      const definition = await created(zipWorkflow(uniqueName("doomed")));
      const counter = createCounter();
      const message = await workflow(definition).trigger({ bucket: "gone", prefix: "" }).execute(store);
      await context.workers.start({
        store,
        definition,
        handler: async (ctx, params) => {
          await ctx.step("list_files", () => {
            counter.hit("list_files");
            throw new PermanentError(`bucket ${params.bucket} does not exist`, { data: { bucket: params.bucket } });
          });
          return { archivePath: "", fileCount: 0 };
        },
      });

      const error = await run().status(message).store(store).result({ timeoutMs: 10_000 }).catch((caught: unknown) => caught);
      expect(RunFailedError.isInstance(error)).toBe(true);
      expect((error as RunFailedError).error).toMatchObject({
        name: "PermanentError",
        message: "bucket gone does not exist",
        data: { bucket: "gone" },
        stepId: "list_files",
        attempt: 1,
      });
      expect(counter.of("list_files")).toBe(1);
      expect(await run().status(message).store(store).get()).toMatchObject({ status: "ERROR", attempt: 1 });
    });

    it("retries exhausted → ERROR with the last error", async () => {
      const store = context.store();
      const definition = await created(zipWorkflow(uniqueName("hopeless")));
      const counter = createCounter();
      const message = await workflow(definition).trigger({ bucket: "b", prefix: "p" }).execute(store);
      await context.workers.start({
        store,
        definition,
        handler: async (ctx) => {
          await ctx.step("call_api", () => {
            throw new Error(`upstream 503 #${counter.hit("call_api")}`);
          });
          return { archivePath: "", fileCount: 0 };
        },
      });

      const error = await run().status(message).store(store).result({ timeoutMs: 10_000 }).catch((caught: unknown) => caught);
      expect(RunFailedError.isInstance(error)).toBe(true);
      expect((error as RunFailedError).error).toMatchObject({ message: "upstream 503 #3", stepId: "call_api", attempt: 3 });
      expect(counter.of("call_api")).toBe(fastRetry.maxAttempts);
      expect((await run().status(message).store(store).get()).status).toBe("ERROR");
    });

    it("pause → PAUSED → resume() → SUCCESS without re-running completed steps", async () => {
      const store = context.store();
      const definition = await created(zipWorkflow(uniqueName("approval")));
      const counter = createCounter();
      const message = await workflow(definition).trigger({ bucket: "b", prefix: "p" }).execute(store);
      await context.workers.start({
        store,
        definition,
        handler: async (ctx) => {
          const files = await ctx.step("list_files", () => {
            counter.hit("list_files");
            return ["x", "y", "z"];
          });
          const approvedBy = await ctx.step("approve", () => {
            if (counter.hit("approve") === 1) throw Step.pause(3_600_000, { reason: "waiting for approval" });
            return "alice";
          });
          return { archivePath: `/approved-by/${approvedBy}`, fileCount: files.length };
        },
      });

      const paused = await waitForStatus(store, message.runId, "PAUSED");
      expect(paused.pauseReason).toBe("waiting for approval");
      expect(Date.parse(paused.visibleAt ?? "") - Date.now()).toBeGreaterThan(3_000_000);
      expect(paused.steps.map((step) => step.id)).toEqual(["list_files"]);
      await expect(run().status(message).store(store).result({ timeoutMs: 300 })).rejects.toSatisfy(
        (error) => WaitTimeoutError.isInstance(error) && (error as WaitTimeoutError).status === "PAUSED",
      );

      const resumed = await run().status(message).store(store).resume();
      expect(resumed.runId).toBe(message.runId);
      const result = await run().status(message).store(store).result({ timeoutMs: 10_000 });
      expect(result).toEqual({ archivePath: "/approved-by/alice", fileCount: 3 });
      expect(counter.of("list_files")).toBe(1);
      expect(counter.of("approve")).toBe(2);
      expect(await run().status(message).store(store).get()).toMatchObject({ status: "SUCCESS", attempt: 2 });
    });
  });

  describe("trigger options and waiting", () => {
    it("idempotencyKey: the second trigger returns the first message and nothing runs twice", async () => {
      const store = context.store();
      const definition = await created(zipWorkflow(uniqueName("once")));
      const counter = createCounter();
      const first = await workflow(definition).trigger({ bucket: "b", prefix: "1" }, { idempotencyKey: "upload-1" }).execute(store);
      const second = await workflow(definition).trigger({ bucket: "b", prefix: "2" }, { idempotencyKey: "upload-1" }).execute(store);
      expect(first.created).toBe(true);
      expect(second).toEqual({ ...first, created: false });

      await context.workers.start({
        store,
        definition,
        handler: async (ctx, params) => ({ archivePath: await ctx.step("zip", () => `${params.prefix}-${counter.hit("zip")}`), fileCount: 1 }),
      });
      await expect(run().status(second).store(store).result({ timeoutMs: 10_000 })).resolves.toEqual({ archivePath: "1-1", fileCount: 1 });
      const page = await store.listRuns({ workflow: definition.name });
      expect(page.runs.map((entry) => entry.runId)).toEqual([first.runId]);
      expect(counter.of("zip")).toBe(1);
    });

    it("delayMs: the run starts no earlier than its time (store clock)", async () => {
      const store = context.store();
      const definition = await created(zipWorkflow(uniqueName("later")));
      await context.workers.start({
        store,
        definition,
        handler: async () => ({ archivePath: "/later.zip", fileCount: 0 }),
      });
      const message = await workflow(definition).trigger({ bucket: "b", prefix: "p" }, { delayMs: 400 }).execute(store);
      expect(Date.parse(message.visibleAt) - Date.parse(message.createdAt)).toBe(400);

      await expect(run().status(message).store(store).result({ timeoutMs: 10_000 })).resolves.toEqual({ archivePath: "/later.zip", fileCount: 0 });
      const info = await run().status(message).store(store).get();
      expect(Date.parse(info.startedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(message.visibleAt));
    });

    it("result() times out while QUEUED and while RUNNING, and the run goes on", async () => {
      const store = context.store();
      const definition = await created(zipWorkflow(uniqueName("slow")));
      const gate = deferred();
      const message = await workflow(definition).trigger({ bucket: "b", prefix: "p" }).execute(store);

      const queued = await run().status(message).store(store).result({ timeoutMs: 200 }).catch((caught: unknown) => caught);
      expect(WaitTimeoutError.isInstance(queued)).toBe(true);
      expect(queued).toMatchObject({ runId: message.runId, timeoutMs: 200, status: "QUEUED" });

      await context.workers.start({
        store,
        definition,
        handler: async (ctx) => ({ archivePath: await ctx.step("wait", () => gate.promise.then(() => "/slow.zip")), fileCount: 0 }),
      });
      await waitForStatus(store, message.runId, "RUNNING");
      const running = await run().status(message).store(store).result({ timeoutMs: 200 }).catch((caught: unknown) => caught);
      expect(running).toMatchObject({ name: "WaitTimeoutError", status: "RUNNING" });

      gate.resolve();
      await expect(run().status(message).store(store).result({ timeoutMs: 10_000 })).resolves.toEqual({ archivePath: "/slow.zip", fileCount: 0 });
    });
  });
}
