/**
 * Wraps a store so every fenced write it refuses is logged (`store write refused`, with the method and run id).
 * The worker behaves exactly as with the store itself; the log shows which late writes a zombie attempted.
 */
import { LeaseLostError, type Logger, type WorkflowStore } from "@pgqrs/core";

const fencedMethods = ["saveStep", "completeRun", "failRun", "retryRun", "pauseRun", "releaseRun"] as const;

/** Returns a store that delegates everything to `store` and logs refused fenced writes to `logger`. */
export function traceRefusedWrites(store: WorkflowStore, logger: Logger): WorkflowStore {
  const traced: WorkflowStore = { ...store };
  for (const method of fencedMethods) {
    const original = store[method] as (args: { runId: string }) => Promise<unknown>;
    (traced as unknown as Record<string, unknown>)[method] = async (args: { runId: string }) => {
      try {
        return await original.call(store, args);
      } catch (error) {
        if (LeaseLostError.isInstance(error)) logger.warn({ method, runId: args.runId, err: error }, "store write refused");
        throw error;
      }
    };
  }
  return traced;
}
