/** Bad input at the worker side: builder options, and outputs that must end the run ERROR. */
import { ConfigurationError, defineWorkflow, DuplicateStepError, IncompatibleStoreError, InvalidNameError, InvalidOutputError, NotJsonError, PayloadTooLargeError, UnknownWorkflowError } from "@pgqrs/core";
import { consumer } from "@pgqrs/worker";
import { z } from "zod";
import type { BadInputCase } from "./case";

const created = "bad_input_worker";
const handler = async () => ({ ok: true });

async function build(store: Parameters<BadInputCase["act"]>[0]["store"], configure: (builder: ReturnType<typeof consumer>) => ReturnType<typeof consumer>): Promise<undefined> {
  await store.createWorkflow(created);
  const worker = await configure(consumer("bad-input-worker", 0, created)).handleSignals(false).create(store);
  // Reaching here means the bad option was accepted: stop the worker and let the case fail.
  await worker.stop();
  return undefined;
}

export const workerCases: BadInputCase[] = [
  { name: "consumer without a handler", area: "options", expected: ConfigurationError, advice: /call \.handler\(/, writes: { workflows: 1 }, act: ({ store }) => build(store, (builder) => builder) },
  { name: "consumer port -1", area: "options", expected: ConfigurationError, advice: /port must be an integer from 0 to 65535/, act: async ({ store }) => build(store, () => consumer("bad-input-worker", -1, created).handler(handler)) },
  { name: "consumer port 70000", area: "options", expected: ConfigurationError, advice: /port must be an integer from 0 to 65535/, act: async ({ store }) => build(store, () => consumer("bad-input-worker", 70_000, created).handler(handler)) },
  { name: "concurrency(0)", area: "options", expected: ConfigurationError, advice: /concurrency must be an integer from 1/, act: ({ store }) => build(store, (builder) => builder.handler(handler).concurrency(0)) },
  { name: "leaseMs(0)", area: "options", expected: ConfigurationError, advice: /leaseMs must be an integer from/, act: ({ store }) => build(store, (builder) => builder.handler(handler).leaseMs(0)) },
  { name: "pollIntervalMs(-5)", area: "options", expected: ConfigurationError, advice: /pollIntervalMs must be an integer from/, act: ({ store }) => build(store, (builder) => builder.handler(handler).pollIntervalMs(-5)) },
  { name: "logger({})", area: "options", expected: ConfigurationError, advice: /debug, info, warn and error/, act: ({ store }) => build(store, (builder) => builder.handler(handler).logger({} as never)) },
  { name: "consumer name with a space", area: "names", expected: InvalidNameError, advice: /use 1-128 characters/, act: ({ store }) => build(store, () => consumer("worker one", 0, created).handler(handler)) },
  {
    name: "consumer for a workflow never created",
    area: "names",
    expected: UnknownWorkflowError,
    advice: /store\.createWorkflow\("never_made"\)/,
    act: async ({ store }) => void (await consumer("bad-input-worker", 0, "never_made").handler(handler).handleSignals(false).create(store)),
  },
  {
    name: 'consumer create() on a store with specVersion "v2"',
    area: "store",
    expected: IncompatibleStoreError,
    advice: /v1/,
    act: async ({ store }) => void (await consumer("bad-input-worker", 0, created).handler(handler).create({ ...store, specVersion: "v2" })),
  },
  {
    name: "step output holding a Date",
    area: "outputs",
    expected: NotJsonError,
    advice: /step "fetch" output\.fetchedAt: Date.*convert/,
    writes: { workflows: 1, messages: 1, runs: 1 },
    act: async ({ runOnce }) => ({
      kind: "run",
      runId: await runOnce({
        definition: defineWorkflow({ name: "bad_step_output" }),
        params: {},
        handler: async (ctx) => await ctx.step("fetch", () => ({ fetchedAt: new Date() })),
      }),
    }),
  },
  {
    name: "run output holding a bigint",
    area: "outputs",
    expected: NotJsonError,
    advice: /output\.total/,
    writes: { workflows: 1, messages: 1, runs: 1, steps: 1 },
    act: async ({ runOnce }) => ({
      kind: "run",
      runId: await runOnce({
        definition: defineWorkflow({ name: "bad_run_output" }),
        params: {},
        handler: async (ctx) => ({ total: BigInt(await ctx.step("count", () => 3)) }),
      }),
    }),
  },
  {
    name: "the same step id twice in one attempt",
    area: "outputs",
    expected: DuplicateStepError,
    advice: /give every ctx\.step call in a handler its own id/,
    writes: { workflows: 1, messages: 1, runs: 1, steps: 1 },
    act: async ({ runOnce }) => ({
      kind: "run",
      runId: await runOnce({
        definition: defineWorkflow({ name: "bad_duplicate_step" }),
        params: {},
        handler: async (ctx) => {
          await ctx.step("charge", () => 1);
          await ctx.step("charge", () => 2);
          return null;
        },
      }),
    }),
  },
  {
    name: "run output failing the output schema",
    area: "schemas",
    expected: InvalidOutputError,
    advice: /fix the handler's return value/,
    writes: { workflows: 1, messages: 1, runs: 1 },
    act: async ({ runOnce }) => ({
      kind: "run",
      runId: await runOnce({
        definition: defineWorkflow({ name: "bad_output_schema", output: z.object({ archivePath: z.string() }) }),
        params: {},
        handler: async () => ({ archivePath: 42 }),
      }),
    }),
  },
  {
    name: 'ctx.step("") (empty step id)',
    area: "names",
    expected: InvalidNameError,
    advice: /non-empty string of at most 255 characters/,
    writes: { workflows: 1, messages: 1, runs: 1 },
    act: async ({ runOnce }) => ({
      kind: "run",
      runId: await runOnce({ definition: defineWorkflow({ name: "bad_step_id" }), params: {}, handler: async (ctx) => await ctx.step("", () => 1) }),
    }),
  },
  {
    name: "step output of 2 MiB",
    area: "payloads",
    expected: PayloadTooLargeError,
    advice: /over the limit of 1048576 bytes/,
    writes: { workflows: 1, messages: 1, runs: 1 },
    act: async ({ runOnce }) => ({
      kind: "run",
      runId: await runOnce({
        definition: defineWorkflow({ name: "bad_big_step" }),
        params: {},
        handler: async (ctx) => await ctx.step("render", () => "z".repeat(2 * 1024 * 1024)),
      }),
    }),
  },
];
