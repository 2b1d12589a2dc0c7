/**
 * `@pgqrs/client`: trigger workflow runs, read their status, wait for their results. Depends on
 * `@pgqrs/core` only, so it runs wherever a store does (a web server, a serverless function, a script)
 * and never pulls in the worker or a database driver.
 */
export { workflow } from "./workflow";
export type { TriggerRequest, WorkflowClient } from "./workflow";
export { maxIdempotencyKeyLength } from "./trigger-options";
export type { TriggerOptions } from "./trigger-options";
export type { QueueMessage } from "./queue-message";
export type { RunIdentity, RunRef } from "./run-ref";
export { run } from "./run";
export type { CancelOptions, RunBuilder, RunHandle, RunStatusBuilder } from "./run";
export type { SentEvent } from "./sent-event";
export type { RunInfo, RunStepInfo } from "./run-info";
export type { ResultOptions } from "./wait-for-result";
export { RunStatus } from "@pgqrs/core/storage";
export type { JsonValue, StoredError, WorkflowStore } from "@pgqrs/core/storage";
