/** `ctx.sleep` end to end: a durable timer survives a worker restart, runs its earlier steps once and ends on time. */
import { run, workflow } from "@pgqrs/client";
import { defineWorkflow, type WorkflowContext } from "@pgqrs/core";
import { describe, expect, it } from "vitest";
import { uniqueName, waitForRun } from "./harness";
import type { EndToEndContext } from "./suite";

const napMs = 2_000;
const pollIntervalMs = 250;
/** Time for the claim after the due poll and the replay up to the next step: generous, for busy machines. */
const marginMs = 150;

interface Trace {
  /** Which worker ran each step function, in order. */
  ran: { step: string; worker: string }[];
  /** `Date.now()` when the step after the sleep ran. */
  nextStepAt: number | undefined;
  /** `Date.now()` the first time the handler reached the sleep. */
  sleepReachedAt: number | undefined;
}

export function describeSleep(context: EndToEndContext): void {
  describe("ctx.sleep", () => {
    it(`a ${napMs} ms sleep across a worker restart runs once and ends within one poll interval of its deadline`, async () => {
      const store = context.store();
      const definition = defineWorkflow({ name: uniqueName("nap") });
      await store.createWorkflow({ name: definition.name });
      const trace: Trace = { ran: [], nextStepAt: undefined, sleepReachedAt: undefined };
      const handlerFor = (label: string) => async (ctx: WorkflowContext) => {
        await ctx.step("before", () => void trace.ran.push({ step: "before", worker: label }));
        trace.sleepReachedAt ??= Date.now();
        await ctx.sleep("nap", napMs);
        await ctx.step("after", () => {
          trace.nextStepAt = Date.now();
          trace.ran.push({ step: "after", worker: label });
        });
        return { wokeBy: label };
      };

      const message = await workflow(definition).trigger({}).execute(store);
      const first = await context.workers.start({ store, definition, handler: handlerFor("first"), pollIntervalMs });
      const sleeping = await waitForRun({ store, runId: message.runId, accept: (info) => info.status === "PAUSED" });
      expect(sleeping.steps.map((step) => step.id)).toEqual(["before", "nap"]);
      // The sleeping run holds no slot: the first worker stops at once, and a new one takes over.
      await first.stop({ timeoutMs: 0 });
      await context.workers.start({ store, definition, handler: handlerFor("second"), pollIntervalMs });

      const output = await run().status(message).store(store).result({ timeoutMs: 15_000 });
      expect(output).toEqual({ wokeBy: "second" });
      expect(trace.ran).toEqual([
        { step: "before", worker: "first" },
        { step: "after", worker: "second" },
      ]);
      const record = await store.getRun({ runId: message.runId });
      expect(record).toMatchObject({ status: "SUCCESS", attempt: 2, runFailures: 0 });
      expect(record?.steps.map((step) => step.stepId)).toEqual(["before", "nap", "after"]);

      // The sleep started on the store clock at its stored deadline minus its length. Every store here runs on
      // this machine's clock, so the deadline and Date.now() compare directly.
      const stored = record?.steps.find((step) => step.stepId === "nap")?.output as { sleepUntil: string };
      const sleepUntil = Date.parse(stored.sleepUntil);
      const sleptMs = (trace.nextStepAt ?? Number.NaN) - (sleepUntil - napMs);
      console.log(
        `ctx.sleep ${napMs} ms across a restart on ${context.kind}: next step ${sleptMs} ms after the sleep began ` +
          `(store clock; ${(trace.nextStepAt ?? 0) - (trace.sleepReachedAt ?? 0)} ms after the handler reached it), poll interval ${pollIntervalMs} ms`,
      );
      expect(sleptMs).toBeGreaterThanOrEqual(napMs);
      expect(sleptMs).toBeLessThan(napMs + pollIntervalMs + marginMs);
    }, 20_000);
  });
}
