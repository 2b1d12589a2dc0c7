/**
 * `@pgqrs/core/storage`: the `WorkflowStore` contract every store implements. Types only, plus the
 * `RunStatus` constants the records use.
 */
export type { StoreCapabilities, WorkflowStore } from "./workflow-store";
export { RunStatus, finalStatuses, runStatuses } from "./types";
export type {
  ClaimedRun,
  EventRecord,
  JsonValue,
  Lease,
  MessageRecord,
  RunCounts,
  RunPage,
  RunRecord,
  RunWithSteps,
  StepRecord,
  StoreEvent,
  StoredCause,
  StoredError,
  Subscription,
  WorkerRecord,
  WorkflowRecord,
} from "./types";
