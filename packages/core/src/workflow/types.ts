import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { JsonValue } from "../storage/types";

/** Retry policy (SPEC §6). Delays are full-jitter exponential: random in [0, min(maxDelayMs, initialDelayMs × factor^(n-1))]. */
export interface RetryPolicy {
  /** Attempts before the run (or step) ends ERROR. @default 5 */
  maxAttempts: number;
  /** @default 1000 */
  initialDelayMs: number;
  /** 1 means a fixed delay. @default 2 */
  factor: number;
  /** @default 300000 */
  maxDelayMs: number;
}

/** A pino-compatible logger: `logger.info({ runId }, "message")`. */
export interface Logger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** Options of one `ctx.step` call. */
export interface StepOptions {
  /** Overrides the workflow's retry policy for this step's failures. */
  retry?: Partial<RetryPolicy>;
}

/** What a handler gets as its first argument. */
export interface WorkflowContext {
  readonly runId: string;
  readonly workflow: string;
  /** The run's delivery number: 1, 2, … */
  readonly attempt: number;
  /** Aborted on lease loss or worker shutdown; pass it to fetch and friends. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /**
   * Runs `fn` once per run: a stored output is returned without calling `fn`; otherwise `fn`'s output is
   * validated as JSON, stored, and only then returned.
   * @throws DuplicateStepError when `id` was used before in this attempt
   * @throws ConcurrentStepError when another step of this run is still running
   */
  step<T>(id: string, fn: () => T | Promise<T>, options?: StepOptions): Promise<T>;
  /**
   * A durable timer: the run becomes PAUSED until the time has passed (store clock), frees its worker slot,
   * and continues after it without re-running earlier steps. The deadline is stored under `id` the first time,
   * like a step output, so a crash or restart never lengthens or repeats the sleep.
   * @throws ConfigurationError for a negative or non-finite duration or an invalid `until`
   */
  sleep(id: string, duration: number | { until: Date }): Promise<void>;
  /**
   * Waits for the event `name` sent to this run (`run().status(ref).store(s).sendEvent(name, payload)`): the run
   * PAUSES until it arrives and returns its JSON payload, memoized under `id`. An event sent before the wait is
   * delivered at once.
   * @throws EventTimeoutError when `timeoutMs` passed first (catch it to handle the timeout)
   */
  waitForEvent<T = JsonValue>(id: string, name: string, options?: WaitForEventOptions): Promise<T>;
}

/** Options of `ctx.waitForEvent`. */
export interface WaitForEventOptions {
  /** Give up after this many milliseconds (from the first time the wait is reached). @default no timeout */
  timeoutMs?: number;
}

/** A workflow handler. */
export type WorkflowHandler<TInput = unknown, TOutput = unknown> = (
  ctx: WorkflowContext,
  params: TInput,
) => Promise<TOutput> | TOutput;

/**
 * A named workflow with optional schemas. `TParams` is what `trigger()` accepts, `TInput` what the handler
 * receives (the input schema's output), `TOutput` what `result()` returns.
 */
export interface WorkflowDefinition<TParams = unknown, TInput = TParams, TOutput = unknown> {
  readonly kind: "pgqrs.workflow";
  readonly name: string;
  readonly input: StandardSchemaV1<TParams, TInput> | undefined;
  readonly output: StandardSchemaV1<unknown, TOutput> | undefined;
  /** The resolved policy (defaults filled in). */
  readonly retry: RetryPolicy;
}

/** Any workflow definition. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- variance: a definition of any types must fit
export type AnyWorkflowDefinition = WorkflowDefinition<any, any, any>;

/** `trigger()` params of a definition. */
export type WorkflowParams<TDefinition> = TDefinition extends WorkflowDefinition<infer TParams, unknown, unknown> ? TParams : unknown;
/** Handler input of a definition. */
export type WorkflowInput<TDefinition> = TDefinition extends WorkflowDefinition<unknown, infer TInput, unknown> ? TInput : unknown;
/** `result()` type of a definition. */
export type WorkflowOutput<TDefinition> = TDefinition extends WorkflowDefinition<unknown, unknown, infer TOutput> ? TOutput : unknown;
