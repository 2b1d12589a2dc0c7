/**
 * The JSON the dashboard's API returns. Shared by the server (which builds it) and the page (which renders it);
 * types only, so the page bundle takes nothing else from the server code. Times are ISO 8601 strings.
 */

/** Statuses the dashboard knows, in display order. */
export const runStatuses = ["QUEUED", "RUNNING", "PAUSED", "SUCCESS", "ERROR", "CANCELLED"] as const;

/** A run status. Kept open to statuses added later (the page shows an unknown one as it is). */
export type ApiRunStatus = (typeof runStatuses)[number];

/** `GET /api/info`: what the page needs to know about the server. */
export interface ApiInfo {
  /** The database URL with its password replaced by `***`. */
  database: string;
  /** Whether resume, retry and cancel are enabled (`--allow-actions`). */
  allowActions: boolean;
  /** Milliseconds between refreshes the page should use. */
  pollIntervalMs: number;
}

/** Run counts of one workflow (or of all), by status. */
export interface ApiCounts {
  byStatus: Record<ApiRunStatus, number>;
  total: number;
}

/** One bucket of the throughput chart: runs that finished within `[at, at + bucketMs)`. */
export interface ApiThroughputBucket {
  at: string;
  success: number;
  error: number;
}

/** Finished runs per bucket over the last window. */
export interface ApiThroughput {
  windowMs: number;
  bucketMs: number;
  buckets: ApiThroughputBucket[];
  /**
   * False when the scan stopped at its budget before reaching runs created before the window, so some finished
   * runs may be missing (see the README: the storage contract has no finished-at index query).
   */
  complete: boolean;
}

/** `GET /api/overview`. */
export interface ApiOverview {
  generatedAt: string;
  totals: ApiCounts;
  /** QUEUED runs claimable now. */
  visibleQueued: number;
  oldestQueuedAt: string | null;
  workflows: { name: string; counts: ApiCounts }[];
  throughput: ApiThroughput;
}

/** A JSON value prepared for display: pretty-printed text, cut at a size limit. */
export interface ApiPayload {
  /** False for an absent value (a void output, a run not finished). */
  present: boolean;
  /** Pretty-printed JSON (empty when absent), at most the limit. */
  text: string;
  /** Size of the compact JSON in UTF-8 bytes. */
  bytes: number;
  truncated: boolean;
}

/** A run in the runs table. */
export interface ApiRunSummary {
  runId: string;
  messageId: string;
  workflow: string;
  status: string;
  attempt: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  visibleAt: string | null;
  /** `name: message` of the last error, when there is one. */
  errorSummary: string | null;
  pauseReason: string | null;
  /** When a cancel was asked for: the moment a run became CANCELLED, or a pending request on a RUNNING run. */
  cancelRequestedAt: string | null;
  /** The reason given with the cancel, if any. */
  cancelReason: string | null;
}

/** `GET /api/runs`. */
export interface ApiRunPage {
  runs: ApiRunSummary[];
  nextCursor: string | null;
}

/** The last error of a run, with its cause chain. */
export interface ApiError {
  name: string;
  message: string;
  code: string | null;
  attempt: number;
  stepId: string | null;
  data: ApiPayload;
  stack: string | null;
  causes: { name: string; message: string }[];
}

/** A completed step, with its place on the run's timeline. */
export interface ApiStep {
  stepId: string;
  completedAt: string;
  /** Milliseconds since the previous step completed (the first step: since the run started), or null. */
  sincePreviousMs: number | null;
  output: ApiPayload;
}

/** `GET /api/runs/:runId`. */
export interface ApiRunDetail extends ApiRunSummary {
  input: ApiPayload;
  output: ApiPayload;
  error: ApiError | null;
  runFailures: number;
  stepFailures: Record<string, number>;
  leaseExpiresAt: string | null;
  steps: ApiStep[];
}

/** The body of every API error response. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}
