import type { StandardSchemaV1 } from "@standard-schema/spec";
import { ConfigurationError } from "../errors/configuration-error";
import { assertWorkflowName } from "../names";
import { resolveRetryPolicy } from "../retry/resolve-retry-policy";
import type { RetryPolicy, WorkflowDefinition } from "./types";

/** Options of {@link defineWorkflow}. */
export interface DefineWorkflowOptions<
  TInputSchema extends StandardSchemaV1 | undefined,
  TOutputSchema extends StandardSchemaV1 | undefined,
> {
  /** 1–128 characters of `[A-Za-z0-9_.-]`, starting with a letter or digit. */
  name: string;
  /** Validates params in `trigger()` (before anything is written) and again in the worker. Any Standard Schema. */
  input?: TInputSchema;
  /** Validates the handler's return value before it is stored; failure ends the run ERROR. */
  output?: TOutputSchema;
  /** The workflow's retry policy; each field defaults to {@link defaultRetryPolicy}'s. */
  retry?: Partial<RetryPolicy>;
}

/** What `trigger()` accepts for an input schema: its input type, or `unknown` without one. */
export type SchemaInput<TSchema> = TSchema extends StandardSchemaV1 ? StandardSchemaV1.InferInput<TSchema> : unknown;
/** What a schema produces: its output type, or `unknown` without one. */
export type SchemaOutput<TSchema> = TSchema extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<TSchema> : unknown;

/**
 * Defines a workflow: a name, optional Standard Schemas for its params and output, and a retry policy.
 * It does no I/O, so trigger services and workers share one definition module. Types flow from the
 * schemas: `trigger()` takes the input schema's input type, the handler gets its output type, `result()`
 * returns the output schema's output type; without schemas they are `unknown`.
 *
 * @example
 * export const zipFiles = defineWorkflow({
 *   name: "zip_files",
 *   input: z.object({ bucket: z.string(), prefix: z.string() }),
 *   output: z.object({ archivePath: z.string(), fileCount: z.number() }),
 * });
 * @throws InvalidNameError when `name` breaks the naming rule
 * @throws ConfigurationError when a schema is not a Standard Schema or a retry option is invalid
 */
export function defineWorkflow<
  TInputSchema extends StandardSchemaV1 | undefined = undefined,
  TOutputSchema extends StandardSchemaV1 | undefined = undefined,
>(
  options: DefineWorkflowOptions<TInputSchema, TOutputSchema>,
): WorkflowDefinition<SchemaInput<TInputSchema>, SchemaOutput<TInputSchema>, SchemaOutput<TOutputSchema>> {
  assertWorkflowName(options.name);
  assertStandardSchema(options.input, "input");
  assertStandardSchema(options.output, "output");
  const retry = resolveRetryPolicy(options.retry);
  return Object.freeze({
    kind: "pgqrs.workflow",
    name: options.name,
    input: options.input as StandardSchemaV1<SchemaInput<TInputSchema>, SchemaOutput<TInputSchema>> | undefined,
    output: options.output as StandardSchemaV1<unknown, SchemaOutput<TOutputSchema>> | undefined,
    retry: Object.freeze(retry),
  });
}

function assertStandardSchema(schema: unknown, option: "input" | "output"): void {
  if (schema === undefined) return;
  const standard: unknown = typeof schema === "object" || typeof schema === "function" ? (schema as { "~standard"?: unknown } | null)?.["~standard"] : undefined;
  const validate: unknown = typeof standard === "object" && standard !== null ? (standard as { validate?: unknown }).validate : undefined;
  if (typeof validate !== "function") {
    throw new ConfigurationError({
      option,
      message: `${option} must be a Standard Schema (zod, valibot, arktype, …: an object with "~standard".validate), or left out`,
    });
  }
}
