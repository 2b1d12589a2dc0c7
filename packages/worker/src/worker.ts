import { UnknownWorkflowError, WorkerStoppingError, LeaseLostError, withFields, type WorkflowStore } from "@pgqrs/core";
import { createBackoff } from "./backoff";
import { createCancelRequests } from "./cancel-requests";
import { runClaimLoop, type ClaimLoopContext, type ClaimLoopMode } from "./claim-loop";
import { createEnqueueEvents } from "./enqueue-events";
import { createHeartbeat } from "./heartbeat";
import { startHttpServer } from "./http-server";
import { createWorkerMetrics } from "./metrics";
import { createQueueDepthGauge } from "./queue-depth";
import { createRunSlots } from "./run-slots";
import { installSignalHandlers } from "./signals";
import { createWakeup } from "./wakeup";
import type { WorkerConfig } from "./worker-options";

/** Options of {@link Worker.stop}. */
export interface StopOptions {
  /** How long running handlers may take to finish before their `ctx.signal` aborts. @default the builder's `shutdownTimeoutMs` (30000) */
  timeoutMs?: number;
}

/** A running worker incarnation, from `consumer(…).create(store)`. */
export interface Worker {
  /** This incarnation's id in the store (each `create()` registers a new one). */
  readonly id: string;
  /** The worker's name, as given to `consumer()`. */
  readonly name: string;
  /** The port `/healthz` and `/metrics` are served on (the OS's pick when created with port 0). */
  readonly port: number;
  /**
   * Claims and runs until `stop()` — or SIGINT/SIGTERM, unless `.handleSignals(false)` — then resolves once
   * the shutdown is complete. Store failures are logged and retried with backoff; it never rejects for them.
   * A second call returns the same promise.
   */
  pollForever(): Promise<void>;
  /**
   * Runs every run visible now, including runs that become visible again at once (released, or retried with
   * no delay), then resolves. Runs retried or paused into the future are not waited for. For tests and scripts.
   * @throws Error while `pollForever()` is polling
   */
  drain(): Promise<void>;
  /**
   * Stops claiming, waits up to `timeoutMs` for running handlers, then aborts their `ctx.signal` with
   * `WorkerStoppingError` (the engine hands those runs back, QUEUED and visible at once, without counting a
   * failure), closes the HTTP server and the event subscription and deregisters the worker. Idempotent.
   */
  stop(options?: StopOptions): Promise<void>;
}

/**
 * Starts a worker for a checked configuration: checks the workflow exists, starts the HTTP server and
 * registers the incarnation. Nothing is claimed until `pollForever()` or `drain()`.
 * @throws UnknownWorkflowError when the workflow was never created in the store
 * @throws ConfigurationError naming `port` when the port cannot be listened on
 */
export async function createWorker(config: WorkerConfig, store: WorkflowStore): Promise<Worker> {
  const workflow = config.workflow.name;
  if ((await store.getWorkflow({ name: workflow })) === null) throw new UnknownWorkflowError(workflow);

  // Filled in once registered; every log line of this incarnation carries it.
  const fields: Record<string, unknown> = { worker: config.name, workflow };
  const logger = withFields(config.logger, fields);
  const metrics = createWorkerMetrics(workflow);
  const wakeup = createWakeup();
  const stopController = new AbortController();
  const loopState = { lastClaimFull: false };
  let storeAnswered = true;
  let mode: ClaimLoopMode | undefined;
  let polling: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;
  const onStoreResult = (ok: boolean): void => {
    storeAnswered = ok;
  };

  const slots = createRunSlots({
    store,
    concurrency: config.concurrency,
    workflow: config.workflow,
    handler: config.handler,
    logger,
    maxPayloadBytes: config.maxPayloadBytes,
    onStep: (event) => metrics.recordStep(event),
    onOutcome: (outcome) => metrics.recordOutcome(outcome.status),
    onStoreError: (error) => {
      onStoreResult(false);
      logger.warn({ err: error }, "pgqrs worker: recording a run's outcome failed; its lease will lapse and another claim recovers it");
    },
    onSettled: () => {
      if (mode === "drain" || loopState.lastClaimFull) wakeup.notify();
    },
    onHandlerDone: () => {
      if (mode === "drain" || loopState.lastClaimFull) wakeup.notify();
    },
  });
  const queueDepth = createQueueDepthGauge({ store, workflow, logger });
  const server = await startHttpServer({
    port: config.port,
    logger,
    endpoints: {
      healthy: () => mode !== undefined && !stopController.signal.aborted && storeAnswered,
      metrics: async () => metrics.render({ inFlight: slots.size - slots.waiting, waiting: slots.waiting, queueDepth: await queueDepth.read() }),
    },
  });
  let workerId: string;
  try {
    ({ workerId } = await store.registerWorker({ name: config.name, workflow }));
  } catch (error) {
    await server.close();
    throw error;
  }
  fields.workerId = workerId;

  const events = createEnqueueEvents({ store, workflow, logger, onEnqueued: () => wakeup.notify() });
  const context: ClaimLoopContext = {
    store,
    workerId,
    workflow,
    concurrency: config.concurrency,
    prefetch: config.prefetch,
    leaseMs: config.leaseMs,
    pollIntervalMs: config.pollIntervalMs,
    slots,
    wakeup,
    backoff: createBackoff(),
    stopSignal: stopController.signal,
    logger,
    onClaimed: (count) => metrics.recordClaimed(count),
    onStoreResult,
    // Only a polling worker listens for events; drain() claims until the queue is empty and stops.
    beforeClaim: () => {
      if (mode === "poll") void events.ensure();
    },
    state: loopState,
  };
  const heartbeat = createHeartbeat({
    store,
    workerId,
    leaseMs: config.leaseMs,
    intervalMs: Math.max(1, Math.floor(config.leaseMs / 3)),
    leases: () => slots.leases(),
    onLost: (lease) => slots.abort(lease, new LeaseLostError({ runId: lease.runId })),
    onCancelRequested: createCancelRequests({ store, slots, logger }),
    onStoreResult,
    logger,
  });
  const signals = installSignalHandlers({
    logger,
    onFirst: () => void worker.stop(),
    onRepeat: () => slots.abortAll(new WorkerStoppingError()),
  });

  const shutdown = async (timeoutMs: number): Promise<void> => {
    stopController.abort(new WorkerStoppingError());
    wakeup.notify();
    await active;
    // Runs claimed ahead go back at once; running handlers get the grace period.
    slots.abortWaiting(new WorkerStoppingError());
    if (!(await slots.waitIdle(timeoutMs))) {
      logger.warn({ inFlight: slots.size, timeoutMs }, "pgqrs worker: handlers still running at the stop timeout; aborting them and releasing their runs");
      slots.abortAll(new WorkerStoppingError());
      await slots.waitIdle(Infinity);
    }
    await heartbeat.stop();
    await events.close();
    await server.close();
    try {
      await store.deregisterWorker({ workerId });
    } catch (error) {
      logger.warn({ err: error }, "pgqrs worker: deregistering the worker failed");
    }
    signals.remove();
    logger.info({}, "pgqrs worker: stopped");
  };

  // The one claim loop running now (poll or drain), until its mode is cleared.
  let active: Promise<void> | undefined;
  const runLoop = (loopMode: ClaimLoopMode): Promise<void> => {
    mode = loopMode;
    heartbeat.start();
    active = runClaimLoop(context, loopMode).finally(async () => {
      mode = undefined;
      active = undefined;
      // A drained worker holds no lease; the heartbeat restarts with the next loop.
      if (loopMode === "drain" && !stopController.signal.aborted) await heartbeat.stop();
    });
    return active;
  };

  const worker: Worker = {
    id: workerId,
    name: config.name,
    port: server.port,
    pollForever() {
      if (stopping !== undefined) return stopping;
      polling ??= (async () => {
        if (config.handleSignals) signals.install();
        await active;
        await events.ensure();
        if (!stopController.signal.aborted) await runLoop("poll");
        await worker.stop();
      })();
      return polling;
    },
    async drain() {
      if (stopping !== undefined) return;
      if (polling !== undefined) throw new Error("drain() cannot run while pollForever() is polling; stop() the worker instead");
      await (active ?? runLoop("drain"));
    },
    stop(options = {}) {
      const { timeoutMs } = options;
      stopping ??= shutdown(typeof timeoutMs === "number" && !Number.isNaN(timeoutMs) ? Math.max(0, timeoutMs) : config.shutdownTimeoutMs);
      return stopping;
    },
  };
  return worker;
}
