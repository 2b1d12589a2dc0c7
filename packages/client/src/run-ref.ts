import { ConfigurationError } from "@pgqrs/core";

/**
 * Type-only brand: carries a run's output type from `workflow(def).trigger()` to `run().status()`.
 * It never exists at run time, so it costs nothing and vanishes in `JSON.stringify`.
 */
declare const outputType: unique symbol;

/** Anything that names a run: the object form of a {@link RunRef}. */
export interface RunIdentity<TOutput = unknown> {
  /** The run's id (a string; it may hold a 64-bit id). */
  readonly runId: string;
  /** Type-only: the run's output type. Never set at run time. */
  readonly [outputType]?: TOutput;
}

/** What `run().status()` accepts: a {@link QueueMessage}, `{ runId }`, or the run id string. */
export type RunRef<TOutput = unknown> = RunIdentity<TOutput> | string;

/**
 * Extracts the run id from a reference.
 * @throws ConfigurationError (option `ref`) when `ref` is neither a non-empty string nor an object with a
 * non-empty string `runId`
 */
export function resolveRunId(ref: unknown): string {
  if (typeof ref === "string" && ref.length > 0) return ref;
  if (typeof ref === "object" && ref !== null && "runId" in ref) {
    const runId: unknown = ref.runId;
    if (typeof runId === "string" && runId.length > 0) return runId;
  }
  throw new ConfigurationError({
    option: "ref",
    message: `run().status(ref): ref must be the message returned by trigger(), { runId }, or a run id string; got ${describe(ref)}`,
  });
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return "an empty string";
  if (typeof value === "object") return Array.isArray(value) ? "an array" : "an object without a string runId";
  return `a ${typeof value}`;
}
