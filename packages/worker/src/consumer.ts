import { assertCompatibleStore, type Logger, type WorkflowDefinition, type WorkflowHandler } from "@pgqrs/core";
import { createWorker, type Worker } from "./worker";
import { resolveWorkerConfig, type BuilderState } from "./worker-options";

/**
 * Configures a worker; every setter returns the builder. Settings are checked by `create()`, before anything
 * is claimed.
 */
export interface ConsumerBuilder<TInput, TOutput> {
  /** The workflow's handler: `params` is the input schema's output type, the return value the output type. Required. */
  handler(fn: WorkflowHandler<TInput, TOutput>): ConsumerBuilder<TInput, TOutput>;
  /**
   * Handlers run at once; each claim asks for the free slots (and, while `prefetch` pays, a few runs ahead). A slot is
   * free again as soon as its handler is done, while the engine still writes the outcome. An integer from 1.
   * @default 10
   */
  concurrency(n: number): ConsumerBuilder<TInput, TOutput>;
  /**
   * Claim ahead: up to `n` runs more than the free slots, which wait in the worker and start the moment a slot frees,
   * so the next run does not wait for a claim's round trip. Only while it pays: the queue has a backlog (the last
   * claim came back full) and recent handlers took under 50 ms on average; with slower handlers a worker never sits
   * on runs another worker could start. Runs waiting are heartbeated like running ones and handed back at once by a
   * stop. 0 turns it off. An integer from 0. @default the concurrency
   */
  prefetch(n: number): ConsumerBuilder<TInput, TOutput>;
  /** Lease length; the heartbeat extends it every `leaseMs / 3`. An integer from 30. @default 30000 */
  leaseMs(ms: number): ConsumerBuilder<TInput, TOutput>;
  /** The fallback poll, also how delayed retries and pauses are picked up when due. @default 1000 */
  pollIntervalMs(ms: number): ConsumerBuilder<TInput, TOutput>;
  /**
   * A pino-compatible logger (`debug`, `info`, `warn`, `error` taking `(object, message)`). Params and outputs
   * are never logged. @default warnings and errors to `console.error` as JSON lines, nothing else
   */
  logger(logger: Logger): ConsumerBuilder<TInput, TOutput>;
  /** Whether `pollForever()` stops gracefully on SIGINT/SIGTERM. @default true */
  handleSignals(enabled: boolean): ConsumerBuilder<TInput, TOutput>;
  /**
   * How long a graceful stop lets running handlers finish before aborting their `ctx.signal` and releasing
   * their runs: the stop on SIGINT/SIGTERM, and `stop()` without `timeoutMs`. Keep it under the platform's
   * kill grace period (Kubernetes: 30 s). @default 30000
   */
  shutdownTimeoutMs(ms: number): ConsumerBuilder<TInput, TOutput>;
  /** Size limit of step and run outputs, in bytes of JSON. @default 1048576 (1 MiB) */
  maxPayloadBytes(bytes: number): ConsumerBuilder<TInput, TOutput>;
  /**
   * Checks the settings and the store, starts the HTTP server on the port and registers this incarnation.
   * @throws InvalidNameError for a bad worker or workflow name
   * @throws ConfigurationError naming the option: no handler, a bad port, concurrency, leaseMs, pollIntervalMs…
   * @throws IncompatibleStoreError for a store of another `specVersion`
   * @throws UnknownWorkflowError when the workflow was not created in the store
   */
  create(store: unknown): Promise<Worker>;
}

function createBuilder<TInput, TOutput>(state: BuilderState): ConsumerBuilder<TInput, TOutput> {
  const builder: ConsumerBuilder<TInput, TOutput> = {
    handler(fn) {
      state.handler = fn;
      return builder;
    },
    concurrency(n) {
      state.concurrency = n;
      return builder;
    },
    prefetch(n) {
      state.prefetch = n;
      return builder;
    },
    leaseMs(ms) {
      state.leaseMs = ms;
      return builder;
    },
    pollIntervalMs(ms) {
      state.pollIntervalMs = ms;
      return builder;
    },
    logger(logger) {
      state.logger = logger;
      return builder;
    },
    handleSignals(enabled) {
      state.handleSignals = enabled;
      return builder;
    },
    shutdownTimeoutMs(ms) {
      state.shutdownTimeoutMs = ms;
      return builder;
    },
    maxPayloadBytes(bytes) {
      state.maxPayloadBytes = bytes;
      return builder;
    },
    async create(store) {
      const config = resolveWorkerConfig(state);
      assertCompatibleStore(store);
      return await createWorker(config, store);
    },
  };
  return builder;
}

/**
 * Starts configuring a worker process for one workflow.
 *
 * @param name - a label for this worker (same rule as workflow names); the same name may start again after a
 *   crash, each incarnation registering its own id
 * @param port - serves `GET /healthz` and `GET /metrics`; 0 picks a free port (`worker.port` tells which)
 * @param workflow - a `defineWorkflow()` definition (types flow to the handler), or a bare workflow name
 *   (types are `unknown`)
 * @example
 * const worker = await consumer("worker-1", 8080, zipFiles)
 *   .handler(async (ctx, params) => ({ archivePath: await ctx.step("zip", () => zip(params)), fileCount: 1 }))
 *   .create(store);
 * await worker.pollForever();
 */
export function consumer<TParams, TInput, TOutput>(
  name: string,
  port: number,
  workflow: WorkflowDefinition<TParams, TInput, TOutput>,
): ConsumerBuilder<TInput, TOutput>;
export function consumer(name: string, port: number, workflow: string): ConsumerBuilder<unknown, unknown>;
export function consumer(name: string, port: number, workflow: WorkflowDefinition | string): ConsumerBuilder<unknown, unknown> {
  return createBuilder({ name, port, workflow });
}
