/** What a worker child process is told to run (passed as JSON in argv). */
export interface WorkerSpec {
  /** The database URL, password included. */
  url: string;
  /** The worker's name (`consumer()`'s first argument). */
  name: string;
  concurrency: number;
  leaseMs: number;
  pollIntervalMs: number;
  /** The workflow's `retry.maxAttempts`. */
  maxAttempts: number;
  /** Each step waits a random time in [stepDelayMs / 2, stepDelayMs * 1.5) before appending its audit row. */
  stepDelayMs: number;
  /** How long `hold-*` runs wait on their first delivery. */
  holdMs: number;
  /** Log `info` lines too (run outcomes); warnings and errors are always logged. */
  verbose: boolean;
}

/** A line a worker child prints on stdout for the suite (log lines are JSON too, with a `level`). */
export type WorkerEvent =
  | { chaos: "ready"; workerId: string; pid: number; port: number }
  | { chaos: "hold"; runId: string; pid: number }
  | { chaos: "crash"; runId: string; pid: number; how: "SIGKILL" | "exit" }
  | { chaos: "stopped"; pid: number };
