/**
 * `@pgqrs/core`: workflow definitions, the step engine, JSON rules, retry math and the errors every pgqrs
 * package shares. No I/O. The storage contract is `@pgqrs/core/storage`; the in-memory store for tests is
 * `@pgqrs/core/testing`.
 */
export { defineWorkflow, type DefineWorkflowOptions, type SchemaInput, type SchemaOutput } from "./workflow/define-workflow";
export { validateSchema, type SchemaIssue, type SchemaResult } from "./workflow/validate-schema";
export type {
  AnyWorkflowDefinition,
  Logger,
  RetryPolicy,
  StepOptions,
  WaitForEventOptions,
  WorkflowContext,
  WorkflowDefinition,
  WorkflowHandler,
  WorkflowInput,
  WorkflowOutput,
  WorkflowParams,
} from "./workflow/types";
export { Step, type PauseOptions, type PauseUntil } from "./step";
export { RunStatus, finalStatuses, runStatuses } from "./storage/types";
export type { EventRecord, JsonValue, StoredCause, StoredError } from "./storage/types";
export type { StoreCapabilities, WorkflowStore } from "./storage/workflow-store";

export { defaultMaxPayloadBytes, toJsonValue, type ToJsonValueOptions } from "./json/to-json-value";
export { assertEventName, assertStepId, assertWorkerName, assertWorkflowName, nameRule, stepIdRule, workflowNameFrom } from "./names";
export { defaultRetryPolicy } from "./retry/default-retry-policy";
export { resolveRetryPolicy } from "./retry/resolve-retry-policy";
export { backoffCapMs, backoffDelayMs, type BackoffOptions } from "./retry/backoff-delay";
export { executeRun } from "./engine/execute-run";
export { silentLogger, withFields } from "./engine/silent-logger";
export type { ExecuteRunOptions, RunOutcome, StepEvent } from "./engine/types";
export { toStoredError, type ToStoredErrorOptions } from "./errors/to-stored-error";
export { assertCompatibleStore } from "./store-check";

export { PgqrsError, type PgqrsErrorCode, type PgqrsErrorOptions } from "./errors/pgqrs-error";
export { ConcurrentStepError } from "./errors/concurrent-step-error";
export { ConfigurationError } from "./errors/configuration-error";
export { ConnectionError } from "./errors/connection-error";
export { DuplicateStepError } from "./errors/duplicate-step-error";
export { EventTimeoutError } from "./errors/event-timeout-error";
export { IncompatibleStoreError } from "./errors/incompatible-store-error";
export { InvalidInputError } from "./errors/invalid-input-error";
export { InvalidNameError } from "./errors/invalid-name-error";
export { InvalidOutputError } from "./errors/invalid-output-error";
export { InvalidRunStateError } from "./errors/invalid-run-state-error";
export { LeaseExpiredError } from "./errors/lease-expired-error";
export { LeaseLostError } from "./errors/lease-lost-error";
export { MigrationError } from "./errors/migration-error";
export { NotJsonError } from "./errors/not-json-error";
export { PauseRequest } from "./errors/pause-request";
export { PayloadTooLargeError } from "./errors/payload-too-large-error";
export { PermanentError } from "./errors/permanent-error";
export { RunCancelledError } from "./errors/run-cancelled-error";
export { RunFailedError } from "./errors/run-failed-error";
export { RunNotFoundError } from "./errors/run-not-found-error";
export { TransientError } from "./errors/transient-error";
export { UnknownWorkflowError } from "./errors/unknown-workflow-error";
export { WaitTimeoutError } from "./errors/wait-timeout-error";
export { WorkerStoppingError } from "./errors/worker-stopping-error";
