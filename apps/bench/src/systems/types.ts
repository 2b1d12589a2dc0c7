import type pg from "pg";

/** The systems the bench compares. */
export type SystemName = "pgqrs" | "graphile-worker" | "pg-boss" | "dbos";

/**
 * What a job does. `noop1`/`noop3`: one or three no-op steps. `steps100`: a hundred no-op steps, timed.
 * `latency`: reports trigger → first step. `recovery`: a no-op step, then a step that holds for `holdMs`.
 */
export type JobKind = "noop1" | "noop3" | "steps100" | "latency" | "recovery";

/** Every job's params. `sentAt` is the trigger time, epoch ms (see `nowMs`). */
export interface JobPayload {
  i: number;
  sentAt?: number;
}

/** What a worker process reports to the bench. */
export type WorkerEvent =
  | { type: "ready" }
  /** `cpuMicros`: the worker process's CPU time (user + system) since the matching `start`. */
  | { type: "halted"; cpuMicros: number }
  | { type: "first-job"; at: number }
  | { type: "latency"; ms: number }
  | { type: "step-overhead"; msPerStep: number; floorMs?: number };

/** How to build one worker. */
export interface WorkerSpec {
  system: SystemName;
  url: string;
  kind: JobKind;
  concurrency: number;
  /** Lease / expiry for the recovery scenario. */
  leaseMs?: number;
  /** How long the `recovery` job's second step holds. */
  holdMs?: number;
}

/** What the bench tells a worker process. */
export type WorkerCommand = { type: "start"; holdMs: number } | { type: "halt" } | { type: "exit" };

/** Enqueues jobs from the bench process. */
export interface Producer {
  /** Pre-enqueues many jobs at once, by the system's fastest documented path. */
  enqueueMany(kind: JobKind, payloads: JobPayload[]): Promise<void>;
  /** One trigger, as an application would send it. */
  send(kind: JobKind, payload: JobPayload): Promise<void>;
  close(): Promise<void>;
}

/** A worker built in its own process (one per repetition): `start()` begins claiming, `stop()` ends it. */
export interface WorkerHandle {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Queue settings a system's setup needs up front (per-queue limits and lease/expiry). */
export interface SetupSettings {
  concurrency: number;
  recoveryConcurrency: number;
  recoveryLeaseMs: number;
}

/** The common interface of the four systems. */
export interface BenchSystem {
  readonly name: SystemName;
  /** Whether jobs have durable steps (pgqrs, DBOS); the others run their whole no-op job instead. */
  readonly hasSteps: boolean;
  /** Installs the system's schema and queues in a fresh database. */
  setup(url: string, settings: SetupSettings): Promise<void>;
  producer(url: string): Promise<Producer>;
  /** Jobs of `kind` not finished yet. */
  remaining(client: pg.Client, kind: JobKind): Promise<number>;
  /** Jobs of `kind` claimed by a worker right now (held under a lease or lock). */
  inFlight(client: pg.Client, kind: JobKind): Promise<number>;
  /** Builds a worker (in the worker process); events go to `emit`. */
  createWorker(spec: WorkerSpec, emit: (event: WorkerEvent) => void): Promise<WorkerHandle>;
}
