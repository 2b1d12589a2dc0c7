/** Bad input at the trigger side: names, params, payloads, trigger options, run ids, schemas and stores. */
import { workflow, run } from "@pgqrs/client";
import {
  ConfigurationError,
  defineWorkflow,
  IncompatibleStoreError,
  InvalidInputError,
  InvalidNameError,
  InvalidRunStateError,
  NotJsonError,
  PayloadTooLargeError,
  RunNotFoundError,
  UnknownWorkflowError,
  type WorkflowStore,
} from "@pgqrs/core";
import { z } from "zod";
import type { BadInputCase } from "./case";

const nameAdvice = /use 1-128 characters/;

/** A created workflow for the params cases, and one with an input schema. */
const plain = "bad_input_plain";
const strict = defineWorkflow({
  name: "bad_input_strict",
  input: z.object({ email: z.string().email(), count: z.number().int().positive() }),
});

async function triggerPlain(store: WorkflowStore, params: unknown, options = {}): Promise<undefined> {
  await store.createWorkflow(plain);
  await workflow(plain).trigger(params, options).execute(store);
  return undefined;
}

function cyclic(): unknown {
  const node: Record<string, unknown> = { name: "loop" };
  node.self = node;
  return { node };
}

export const apiCases: BadInputCase[] = [
  { name: 'createWorkflow("")', area: "names", expected: InvalidNameError, advice: nameAdvice, act: async ({ store }) => void (await store.createWorkflow("")) },
  { name: 'createWorkflow("a b")', area: "names", expected: InvalidNameError, advice: nameAdvice, act: async ({ store }) => void (await store.createWorkflow("a b")) },
  { name: "createWorkflow(200 characters)", area: "names", expected: InvalidNameError, advice: nameAdvice, act: async ({ store }) => void (await store.createWorkflow("w".repeat(200))) },
  { name: 'createWorkflow("../x")', area: "names", expected: InvalidNameError, advice: nameAdvice, act: async ({ store }) => void (await store.createWorkflow("../x")) },
  { name: 'defineWorkflow({ name: "zip files!" })', area: "names", expected: InvalidNameError, advice: nameAdvice, act: async () => void defineWorkflow({ name: "zip files!" }) },
  {
    name: 'trigger workflow("bad/name")',
    area: "names",
    expected: InvalidNameError,
    advice: nameAdvice,
    act: async ({ store }) => void (await workflow("bad/name").trigger({}).execute(store)),
  },
  {
    name: "trigger a workflow never created",
    area: "names",
    expected: UnknownWorkflowError,
    advice: /store\.createWorkflow\("never_created"\)/,
    act: async ({ store }) => void (await workflow("never_created").trigger({}).execute(store)),
  },
  { name: "params holding a Date", area: "params", expected: NotJsonError, advice: /params\.when: Date .*convert/, act: ({ store }) => triggerPlain(store, { when: new Date() }), writes: { workflows: 1 } },
  { name: "params holding a bigint", area: "params", expected: NotJsonError, advice: /params\.amount.*bigint/i, act: ({ store }) => triggerPlain(store, { amount: 10n }) },
  { name: "params holding NaN", area: "params", expected: NotJsonError, advice: /params\.ratio/, act: ({ store }) => triggerPlain(store, { ratio: Number.NaN }) },
  { name: "params holding a Map", area: "params", expected: NotJsonError, advice: /params\.index/, act: ({ store }) => triggerPlain(store, { index: new Map([["a", 1]]) }) },
  { name: "params with a cycle", area: "params", expected: NotJsonError, advice: /params\.node\.self/, act: ({ store }) => triggerPlain(store, cyclic()) },
  { name: "params holding a function", area: "params", expected: NotJsonError, advice: /params\.callback/, act: ({ store }) => triggerPlain(store, { callback: () => 1 }) },
  {
    name: "params failing the input schema",
    area: "schemas",
    expected: InvalidInputError,
    advice: /input schema: .*email.*count|input schema: .*count.*email/,
    writes: { workflows: 1 },
    act: async ({ store }) => {
      await store.createWorkflow(strict.name);
      await workflow(strict)
        .trigger({ email: "not-an-email", count: -2 } as never)
        .execute(store);
      return undefined;
    },
  },
  {
    name: "defineWorkflow with an input that is not a schema",
    area: "schemas",
    expected: ConfigurationError,
    advice: /Standard Schema/,
    act: async () => void defineWorkflow({ name: "not_a_schema", input: { parse: () => 1 } as never }),
  },
  {
    name: "defineWorkflow with retry.maxAttempts 0",
    area: "options",
    expected: ConfigurationError,
    advice: /retry\.maxAttempts must be an integer of at least 1/,
    act: async () => void defineWorkflow({ name: "zero_attempts", retry: { maxAttempts: 0 } }),
  },
  {
    name: "params of 2 MiB",
    area: "payloads",
    expected: PayloadTooLargeError,
    advice: /over the limit of 1048576 bytes.*(reference|maxPayloadBytes)/,
    act: ({ store }) => triggerPlain(store, { blob: "x".repeat(2 * 1024 * 1024) }),
  },
  {
    name: "params over a 64-byte maxPayloadBytes",
    area: "payloads",
    expected: PayloadTooLargeError,
    advice: /over the limit of 64 bytes/,
    act: ({ store }) => triggerPlain(store, { text: "y".repeat(100) }, { maxPayloadBytes: 64 }),
  },
  { name: "trigger delayMs -1", area: "options", expected: ConfigurationError, advice: /delayMs must be/, act: ({ store }) => triggerPlain(store, {}, { delayMs: -1 }) },
  { name: 'trigger idempotencyKey ""', area: "options", expected: ConfigurationError, advice: /idempotencyKey must be a non-empty string/, act: ({ store }) => triggerPlain(store, {}, { idempotencyKey: "" }) },
  {
    name: "trigger with both delayMs and runAt",
    area: "options",
    expected: ConfigurationError,
    advice: /pass one of them/,
    act: ({ store }) => triggerPlain(store, {}, { delayMs: 10, runAt: new Date() }),
  },
  { name: "trigger runAt Invalid Date", area: "options", expected: ConfigurationError, advice: /runAt must be a valid Date/, act: ({ store }) => triggerPlain(store, {}, { runAt: new Date("nope") }) },
  {
    name: "run().status(unknown numeric id).get()",
    area: "ids",
    expected: RunNotFoundError,
    advice: /pass the message returned by trigger\(\)/,
    act: async ({ store }) => void (await run().status("987654321").store(store).get()),
  },
  {
    name: 'run().status("not-a-number").get()',
    area: "ids",
    expected: RunNotFoundError,
    advice: /pass the message returned by trigger\(\)/,
    act: async ({ store }) => void (await run().status("not-a-number").store(store).get()),
  },
  {
    name: "run().status(id beyond 64 bits).result()",
    area: "ids",
    expected: RunNotFoundError,
    advice: /pass the message returned by trigger\(\)/,
    act: async ({ store }) => void (await run().status("99999999999999999999999").store(store).result({ timeoutMs: 1_000 })),
  },
  { name: 'run().status("").get()', area: "ids", expected: ConfigurationError, advice: /ref must be the message returned by trigger\(\)/, act: async ({ store }) => void (await run().status("").store(store).get()) },
  {
    name: "run().status({ runId: 42 }).get()",
    area: "ids",
    expected: ConfigurationError,
    advice: /ref must be the message returned by trigger\(\)/,
    act: async ({ store }) => void (await run().status({ runId: 42 } as never).store(store).get()),
  },
  {
    name: "resume() of a run that is not PAUSED",
    area: "ids",
    expected: InvalidRunStateError,
    advice: /PAUSED/,
    writes: { workflows: 1, messages: 1, runs: 1 },
    act: async ({ store }) => {
      await store.createWorkflow("bad_input_resume");
      const message = await workflow("bad_input_resume").trigger({}).execute(store);
      await run().status(message).store(store).resume();
      return undefined;
    },
  },
  {
    name: 'trigger on a store with specVersion "v2"',
    area: "store",
    expected: IncompatibleStoreError,
    advice: /v1/,
    act: async ({ store }) => void (await workflow("bad_input_plain").trigger({}).execute({ ...store, specVersion: "v2" } as never)),
  },
  {
    name: "run().get() on something that is not a store",
    area: "store",
    expected: IncompatibleStoreError,
    advice: /v1|store/,
    act: async () => void (await run().status("1").store({ getRun: () => null } as never).get()),
  },
];
