/** A JSON value as pgqrs stores it: what survives `JSON.parse(JSON.stringify(v))` unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * The status of a run (SPEC §4). SUCCESS, ERROR and CANCELLED are final (see docs/decisions on CANCELLED).
 * Code that switches on it should keep a default branch.
 */
export type RunStatus = "QUEUED" | "RUNNING" | "SUCCESS" | "ERROR" | "PAUSED" | "CANCELLED";

/** A run's status as a const object: `RunStatus.Success === "SUCCESS"`. */
export const RunStatus = {
  Queued: "QUEUED",
  Running: "RUNNING",
  Success: "SUCCESS",
  Error: "ERROR",
  Paused: "PAUSED",
  Cancelled: "CANCELLED",
} as const satisfies Record<string, RunStatus>;

/** Statuses a run never leaves. */
export const finalStatuses: ReadonlySet<RunStatus> = new Set<RunStatus>(["SUCCESS", "ERROR", "CANCELLED"]);

/** Every status, in lifecycle order (for tables and counts). */
export const runStatuses: readonly RunStatus[] = ["QUEUED", "RUNNING", "PAUSED", "SUCCESS", "ERROR", "CANCELLED"];

/** One link of an error's cause chain. */
export interface StoredCause {
  name: string;
  message: string;
}

/** The JSON form of a run's last error (SPEC §6). */
export interface StoredError {
  name: string;
  message: string;
  code?: string;
  data?: JsonValue;
  stack?: string;
  /** The run's delivery number when the error happened. */
  attempt: number;
  /** The step that threw, when a step threw. */
  stepId?: string;
  /** `error.cause`, then its cause, and so on. */
  causes?: StoredCause[];
}

/** A registered workflow. */
export interface WorkflowRecord {
  name: string;
  createdAt: Date;
  /** Set while an operator has paused the workflow (`pauseWorkflow`): workers claim none of its runs. */
  pausedAt: Date | null;
}

/** The queue entry a trigger created. */
export interface MessageRecord {
  /** Message id: a decimal string (it may hold a 64-bit id). */
  id: string;
  /** The one run of this message. */
  runId: string;
  workflow: string;
  createdAt: Date;
  /** When the message first becomes claimable. */
  visibleAt: Date;
}

/** A completed step's stored output. */
export interface StepRecord {
  stepId: string;
  /** The stored output; `undefined` for a void step. */
  output: JsonValue | undefined;
  completedAt: Date;
}

/** Everything the store knows about a run. */
export interface RunRecord {
  runId: string;
  messageId: string;
  workflow: string;
  status: RunStatus;
  input: JsonValue;
  /** Set on SUCCESS; `undefined` for a handler that returned nothing. */
  output: JsonValue | undefined;
  error: StoredError | null;
  /** Delivery number of the latest claim (0 before the first claim). */
  attempt: number;
  /** Failures counted against the workflow's policy: errors outside steps and expired leases (crashes). */
  runFailures: number;
  /** Failures counted per step, each against that step's policy. */
  stepFailures: Record<string, number>;
  createdAt: Date;
  /** First claim. */
  startedAt: Date | null;
  /** When the run became final (SUCCESS, ERROR or CANCELLED). */
  finishedAt: Date | null;
  /** When a QUEUED or PAUSED run becomes claimable; `null` once final. */
  visibleAt: Date | null;
  /** When the current lease ends (RUNNING runs only). */
  leaseExpiresAt: Date | null;
  /** The reason given to `Step.pause` (or set by `ctx.sleep` / `ctx.waitForEvent`), while PAUSED. */
  pauseReason: string | null;
  /** When `cancelRun` was called: at once for a CANCELLED run, or while a RUNNING run has yet to stop. */
  cancelRequestedAt: Date | null;
  /** The reason given to `cancelRun`, if any. */
  cancelReason: string | null;
}

/** A run with its completed steps in completion order. */
export interface RunWithSteps extends RunRecord {
  steps: StepRecord[];
}

/** A run handed to one worker by {@link WorkflowStore.claimRuns}. */
export interface ClaimedRun {
  runId: string;
  messageId: string;
  workflow: string;
  input: JsonValue;
  /** This delivery's number: the previous `attempt` + 1. */
  attempt: number;
  /** The token every fenced write of this delivery must carry. */
  leaseToken: string;
  leaseExpiresAt: Date;
  /** Run failures so far, including the crash this claim recovered from (if any). */
  runFailures: number;
  stepFailures: Record<string, number>;
  /** True when the previous delivery ended with a PAUSE (this delivery resumes it). */
  resumedFromPause: boolean;
  /** The store's clock at the claim: durable timers (`ctx.sleep`, event timeouts) compare against it. */
  claimedAt: Date;
  /** A cancel was requested while the run was RUNNING (its worker died or released it): end it CANCELLED. */
  cancelRequested: boolean;
  /** Completed steps, so the engine can replay them without another round trip. */
  steps: StepRecord[];
}

/** A worker's hold on one run. */
export interface Lease {
  runId: string;
  leaseToken: string;
}

/** A page of runs, newest first. */
export interface RunPage {
  runs: RunRecord[];
  /** Pass back as `cursor` for the next page; `null` on the last page. */
  nextCursor: string | null;
}

/** An event sent to a run (`sendEvent`); the first payload for a name wins. */
export interface EventRecord {
  runId: string;
  name: string;
  payload: JsonValue;
  /** Store clock when it was first sent. */
  sentAt: Date;
}

/** What a store tells subscribers (only stores with `capabilities.notify`). */
export type StoreEvent =
  | { type: "enqueued"; workflow: string }
  | { type: "run-changed"; runId: string; status: RunStatus };

/** An open subscription; `close()` MUST stop delivery and release its connection. */
export interface Subscription {
  close(): Promise<void>;
}

/** Run counts of {@link WorkflowStore.countRuns}. */
export interface RunCounts {
  byStatus: Record<RunStatus, number>;
  /** QUEUED runs claimable now. */
  visibleQueued: number;
  /** Earliest `visibleAt` among claimable QUEUED runs. */
  oldestQueuedAt: Date | null;
}

/** A registered worker incarnation. */
export interface WorkerRecord {
  workerId: string;
  name: string;
  workflow: string;
  startedAt: Date;
  /** Last registration or `extendLeases` call. */
  lastSeenAt: Date;
  stoppedAt: Date | null;
}
