import { IncompatibleStoreError } from "./errors/incompatible-store-error";
import type { WorkflowStore } from "./storage/workflow-store";

const requiredMethods = [
  "createWorkflow",
  "getWorkflow",
  "listWorkflows",
  "pauseWorkflow",
  "resumeWorkflow",
  "enqueue",
  "registerWorker",
  "deregisterWorker",
  "claimRuns",
  "extendLeases",
  "saveStep",
  "completeRun",
  "failRun",
  "retryRun",
  "pauseRun",
  "releaseRun",
  "acknowledgeCancel",
  "cancelRun",
  "sendEvent",
  "getEvent",
  "getRun",
  "listRuns",
  "resumeRun",
  "retryFailedRun",
  "countRuns",
  "listWorkers",
  "close",
] as const satisfies readonly (keyof WorkflowStore)[];

/**
 * Checks that `store` implements storage contract `"v1"`: the right `specVersion` and every required
 * method (a store with `capabilities.notify` must also have `subscribe`).
 * @throws IncompatibleStoreError otherwise, naming the store and what it lacks
 */
export function assertCompatibleStore(store: unknown): asserts store is WorkflowStore {
  if (typeof store !== "object" || store === null) {
    throw new IncompatibleStoreError({ specVersion: undefined, name: undefined, missing: ["a store object"] });
  }
  const candidate = store as Partial<Record<string, unknown>> & { capabilities?: { notify?: unknown } };
  if (candidate.specVersion !== "v1") {
    throw new IncompatibleStoreError({ specVersion: candidate.specVersion, name: candidate.name });
  }
  const missing: string[] = requiredMethods.filter((method) => typeof candidate[method] !== "function");
  if (candidate.capabilities?.notify === true && typeof candidate.subscribe !== "function") missing.push("subscribe");
  if (missing.length > 0) {
    throw new IncompatibleStoreError({ specVersion: candidate.specVersion, name: candidate.name, missing });
  }
}
