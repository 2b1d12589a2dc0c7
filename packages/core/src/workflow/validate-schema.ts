import type { StandardSchemaV1 } from "@standard-schema/spec";
import { InvalidInputError } from "../errors/invalid-input-error";
import { formatPath } from "../json/format-path";

/** One schema issue, with its path joined like `files[3].name`. */
export interface SchemaIssue {
  message: string;
  path?: string;
}

/** What {@link validateSchema} returns: the schema's output value, or its issues. */
export type SchemaResult<TOutput> = { value: TOutput; issues?: undefined } | { issues: SchemaIssue[] };

/**
 * Runs a Standard Schema (zod, valibot, arktype, …) on `value`; `~standard.validate` may be sync or async.
 * Returns `{ value }` (the schema's output, which may differ from the input: defaults, transforms) or
 * `{ issues }`.
 *
 * With `{ workflow }` as a third argument it validates workflow params instead: it returns the value or
 * throws `InvalidInputError` listing the issues.
 *
 * @throws InvalidInputError (only with `{ workflow }`) when the value fails the schema
 */
export function validateSchema<TOutput>(schema: StandardSchemaV1<unknown, TOutput>, value: unknown): Promise<SchemaResult<TOutput>>;
export function validateSchema<TOutput>(
  schema: StandardSchemaV1<unknown, TOutput>,
  value: unknown,
  options: { workflow: string },
): Promise<TOutput>;
export async function validateSchema<TOutput>(
  schema: StandardSchemaV1<unknown, TOutput>,
  value: unknown,
  options?: { workflow: string },
): Promise<SchemaResult<TOutput> | TOutput> {
  const result = await schema["~standard"].validate(value);
  // The spec reads any falsy `issues` as success.
  const outcome: SchemaResult<TOutput> = result.issues
    ? { issues: result.issues.map((issue) => toSchemaIssue(issue)) }
    : { value: result.value };
  if (options === undefined) return outcome;
  if (outcome.issues !== undefined) throw new InvalidInputError({ workflow: options.workflow, issues: outcome.issues });
  return outcome.value;
}

function toSchemaIssue(issue: StandardSchemaV1.Issue): SchemaIssue {
  const message = typeof issue.message === "string" ? issue.message : String(issue.message);
  if (issue.path === undefined || issue.path.length === 0) return { message };
  const segments = issue.path.map((segment) => (typeof segment === "object" ? segment.key : segment));
  return { message, path: formatPath(segments) };
}
