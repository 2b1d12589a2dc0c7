/** Starts workers for a test and stops every one of them afterwards, whatever the test did. */
import type { WorkflowDefinition, WorkflowHandler } from "@pgqrs/core";
import type { WorkflowStore } from "@pgqrs/core/storage";
import { consumer, type Worker } from "@pgqrs/worker";
import { silentLogger } from "./harness";

export interface WorkerPool {
  /**
   * Creates a polling worker for `definition` (port 0, no signal handling, a fast fallback poll: 50 ms unless
   * `pollIntervalMs` says otherwise; the lease as the worker's default unless `leaseMs` says otherwise).
   */
  start<TParams, TInput, TOutput>(args: {
    store: WorkflowStore;
    definition: WorkflowDefinition<TParams, TInput, TOutput>;
    handler: WorkflowHandler<TInput, TOutput>;
    pollIntervalMs?: number;
    leaseMs?: number;
  }): Promise<Worker>;
  /** Stops every started worker; call it in `afterEach`. */
  stopAll(): Promise<void>;
}

export function createWorkerPool(): WorkerPool {
  const running: { worker: Worker; polling: Promise<void> }[] = [];
  return {
    async start({ store, definition, handler, pollIntervalMs = 50, leaseMs }) {
      const builder = consumer("e2e-worker", 0, definition);
      if (leaseMs !== undefined) builder.leaseMs(leaseMs);
      const worker = await builder
        .handler(handler)
        .pollIntervalMs(pollIntervalMs)
        .handleSignals(false)
        .logger(silentLogger)
        .create(store);
      running.push({ worker, polling: worker.pollForever() });
      return worker;
    },
    async stopAll() {
      const stopping = running.splice(0);
      await Promise.all(stopping.map(({ worker }) => worker.stop({ timeoutMs: 2_000 })));
      await Promise.all(stopping.map(({ polling }) => polling));
    },
  };
}
