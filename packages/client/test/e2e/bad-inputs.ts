/** The SPEC §12 bad inputs that reach the client or the worker, through the public API. */
import { run, workflow } from "@pgqrs/client";
import {
  defineWorkflow,
  InvalidInputError,
  InvalidNameError,
  NotJsonError,
  PayloadTooLargeError,
  RunFailedError,
  RunNotFoundError,
  UnknownWorkflowError,
} from "@pgqrs/core";
import type { StoredError } from "@pgqrs/core/storage";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { uniqueName } from "./harness";
import type { EndToEndContext } from "./suite";

const noRetry = { maxAttempts: 1 };

async function failure(promise: Promise<unknown>): Promise<StoredError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!RunFailedError.isInstance(error)) throw new Error(`expected RunFailedError, got ${String(error)}`);
  return error.error;
}

export function describeBadInputs(context: EndToEndContext): void {
  describe("bad input", () => {
    it("the client refuses bad names, unknown workflows, non-JSON, oversized and invalid params, writing nothing", async () => {
      const store = context.store();
      const definition = defineWorkflow({ name: uniqueName("strict"), input: z.object({ count: z.number().int() }) });
      await store.createWorkflow({ name: definition.name });
      const attempts: [() => Promise<unknown>, (error: unknown) => boolean][] = [
        [() => workflow("a b").trigger({}).execute(store), (error) => InvalidNameError.isInstance(error)],
        [() => workflow("../x").trigger({}).execute(store), (error) => InvalidNameError.isInstance(error)],
        [() => workflow(uniqueName("never_created")).trigger({}).execute(store), (error) => UnknownWorkflowError.isInstance(error)],
        [() => workflow(definition.name).trigger({ at: new Date() }).execute(store), (error) => NotJsonError.isInstance(error)],
        [
          () => workflow(definition.name).trigger({ blob: "x".repeat(2_000) }, { maxPayloadBytes: 1_000 }).execute(store),
          (error) => PayloadTooLargeError.isInstance(error),
        ],
        [() => workflow(definition).trigger({ count: 1.5 }).execute(store), (error) => InvalidInputError.isInstance(error)],
      ];
      for (const [attempt, check] of attempts) {
        expect(check(await attempt().catch((caught: unknown) => caught))).toBe(true);
      }
      expect((await store.listRuns({ workflow: definition.name })).runs).toEqual([]);
    });

    it("an unknown run id is RunNotFoundError", async () => {
      const store = context.store();
      const error = await run().status("987654321").store(store).get().catch((caught: unknown) => caught);
      expect(RunNotFoundError.isInstance(error)).toBe(true);
    });

    it("a step output that is not JSON ends the run ERROR, naming the step and the path", async () => {
      const store = context.store();
      const definition = defineWorkflow({ name: uniqueName("dates"), retry: noRetry });
      await store.createWorkflow({ name: definition.name });
      const message = await workflow(definition).trigger({}).execute(store);
      await context.workers.start({
        store,
        definition,
        handler: async (ctx) => ctx.step("stat_file", () => ({ size: 1, mtime: new Date() })),
      });
      const error = await failure(run().status(message).store(store).result({ timeoutMs: 10_000 }));
      expect(error.name).toBe("NotJsonError");
      expect(error.message).toContain('step "stat_file" output.mtime: Date is not JSON');
      expect(error.stepId).toBe("stat_file");
      expect((await run().status(message).store(store).get()).status).toBe("ERROR");
    });

    it("a run output that is not JSON ends the run ERROR, naming the path", async () => {
      const store = context.store();
      const definition = defineWorkflow({ name: uniqueName("big_numbers"), retry: noRetry });
      await store.createWorkflow({ name: definition.name });
      const message = await workflow(definition).trigger({}).execute(store);
      await context.workers.start({ store, definition, handler: async () => ({ total: 10n }) });
      const error = await failure(run().status(message).store(store).result({ timeoutMs: 10_000 }));
      expect(error.name).toBe("NotJsonError");
      expect(error.message).toContain("output.total: bigint is not JSON");
    });

    it("a duplicate step id ends the run ERROR with DuplicateStepError", async () => {
      const store = context.store();
      const definition = defineWorkflow({ name: uniqueName("twice") });
      await store.createWorkflow({ name: definition.name });
      const message = await workflow(definition).trigger({}).execute(store);
      await context.workers.start({
        store,
        definition,
        handler: async (ctx) => {
          await ctx.step("fetch", () => 1);
          await ctx.step("fetch", () => 2);
        },
      });
      const error = await failure(run().status(message).store(store).result({ timeoutMs: 10_000 }));
      expect(error).toMatchObject({ name: "DuplicateStepError", attempt: 1 });
      expect(error.message).toContain("fetch");
    });

    it("params that fail the schema in the worker end the run ERROR with InvalidInputError", async () => {
      const store = context.store();
      const definition = defineWorkflow({ name: uniqueName("typed"), input: z.object({ email: z.string().email() }) });
      await store.createWorkflow({ name: definition.name });
      // A trigger by bare name has no schema to check against; the worker's check is the last line.
      const message = await workflow(definition.name).trigger({ email: "not an email" }).execute(store);
      let handled = 0;
      await context.workers.start({ store, definition, handler: async () => void (handled += 1) });
      const error = await failure(run().status(message).store(store).result({ timeoutMs: 10_000 }));
      expect(error).toMatchObject({ name: "InvalidInputError", attempt: 1 });
      expect(error.message).toContain("email");
      expect(handled).toBe(0);
    });

    it("an output that fails the output schema ends the run ERROR", async () => {
      const store = context.store();
      const definition = defineWorkflow({ name: uniqueName("shaped"), output: z.object({ ok: z.literal(true) }) });
      await store.createWorkflow({ name: definition.name });
      const message = await workflow(definition).trigger({}).execute(store);
      await context.workers.start({ store, definition, handler: async () => ({ ok: false }) as unknown as { ok: true } });
      const error = await failure(run().status(message).store(store).result({ timeoutMs: 10_000 }));
      expect(error.name).toBe("InvalidOutputError");
      expect((await run().status(message).store(store).get()).attempt).toBe(1);
    });
  });
}
