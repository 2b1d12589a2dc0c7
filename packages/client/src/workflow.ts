import {
  assertCompatibleStore,
  ConfigurationError,
  assertWorkflowName,
  defaultMaxPayloadBytes,
  toJsonValue,
  validateSchema,
  type AnyWorkflowDefinition,
  type WorkflowOutput,
  type WorkflowParams,
} from "@pgqrs/core";
import type { WorkflowStore } from "@pgqrs/core/storage";
import { toQueueMessage, type QueueMessage } from "./queue-message";
import { validateTriggerOptions, type TriggerOptions } from "./trigger-options";

/** `workflow(defOrName)`: a workflow to trigger. */
export interface WorkflowClient<TParams = unknown, TOutput = unknown> {
  /** The workflow's name. */
  readonly name: string;
  /**
   * Prepares a run with these params. Nothing is checked or written until `execute(store)`.
   * With a definition, `params` must be the input schema's input type.
   */
  trigger(params: TParams, options?: TriggerOptions): TriggerRequest<TOutput>;
}

/** `workflow(...).trigger(params, options)`: a run ready to enqueue. */
export interface TriggerRequest<TOutput = unknown> {
  /**
   * Validates everything, then enqueues the message and its QUEUED run in one transaction. Nothing is
   * written when any check fails.
   * @throws InvalidNameError when the workflow name breaks the naming rule
   * @throws ConfigurationError when an option is invalid (e.g. `delayMs` with `runAt`), or `workflow()` got
   *   neither a name nor a definition
   * @throws IncompatibleStoreError when the store implements another storage contract version
   * @throws NotJsonError when params are not JSON; the message names the path (`params.when: Date is not JSON; …`)
   * @throws PayloadTooLargeError when params exceed `maxPayloadBytes`
   * @throws InvalidInputError when params fail the definition's input schema
   * @throws UnknownWorkflowError when the workflow was never created in this store
   */
  execute(store: WorkflowStore): Promise<QueueMessage<TOutput>>;
}

/**
 * Starts a trigger. With a `defineWorkflow` definition, params are type-checked against its input schema
 * and validated by it before anything is written, and the returned message carries the output type.
 * With a bare name, both are `unknown`.
 *
 * @example
 * const message = await workflow(zipFiles).trigger({ bucket, prefix }).execute(store);
 */
export function workflow<TDefinition extends AnyWorkflowDefinition>(
  definition: TDefinition,
): WorkflowClient<WorkflowParams<TDefinition>, WorkflowOutput<TDefinition>>;
export function workflow(name: string): WorkflowClient;
export function workflow(defOrName: AnyWorkflowDefinition | string): WorkflowClient {
  const definition = isDefinition(defOrName) ? defOrName : undefined;
  const name: unknown = definition ? definition.name : defOrName;
  return {
    name: String(name),
    trigger: (params, options) => ({
      execute: (store) => enqueueRun({ name, definition, params, options: options ?? {}, store }),
    }),
  };
}

function isDefinition(value: unknown): value is AnyWorkflowDefinition {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "pgqrs.workflow";
}

async function enqueueRun(args: {
  name: unknown;
  definition: AnyWorkflowDefinition | undefined;
  params: unknown;
  options: TriggerOptions;
  store: WorkflowStore;
}): Promise<QueueMessage> {
  const { name, definition, params, options, store } = args;
  if (typeof name === "object" && name !== null) {
    throw new ConfigurationError({
      option: "workflow",
      message: "workflow() takes a workflow name or a defineWorkflow() definition; got another object",
    });
  }
  assertWorkflowName(name);
  validateTriggerOptions(options);
  assertCompatibleStore(store);
  const input = toJsonValue(params, { path: "params", maxBytes: options.maxPayloadBytes ?? defaultMaxPayloadBytes });
  // The stored params are what the worker validates again, so the schema sees the JSON form too.
  if (definition?.input) await validateSchema(definition.input, input, { workflow: name });
  const { message, created } = await store.enqueue({
    workflow: name,
    input,
    ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
    ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }),
    ...(options.runAt === undefined ? {} : { runAt: options.runAt }),
  });
  return toQueueMessage(message, created);
}
