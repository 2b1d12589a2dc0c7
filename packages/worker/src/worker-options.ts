import {
  assertWorkerName,
  ConfigurationError,
  defineWorkflow,
  type AnyWorkflowDefinition,
  type ExecuteRunOptions,
  type Logger,
} from "@pgqrs/core";
import { createDefaultLogger } from "./default-logger";

/** The largest delay `setTimeout` honours (about 24.8 days). */
const maxTimerMs = 2_147_483_647;

/** What the builder collected, unchecked. */
export interface BuilderState {
  name: unknown;
  port: unknown;
  workflow: unknown;
  handler?: unknown;
  concurrency?: unknown;
  prefetch?: unknown;
  leaseMs?: unknown;
  pollIntervalMs?: unknown;
  logger?: unknown;
  handleSignals?: unknown;
  maxPayloadBytes?: unknown;
  shutdownTimeoutMs?: unknown;
}

/** Checked worker settings with defaults filled in. */
export interface WorkerConfig {
  name: string;
  port: number;
  workflow: AnyWorkflowDefinition;
  handler: ExecuteRunOptions["handler"];
  concurrency: number;
  /** Runs claimed ahead of free slots while it pays (a backlog, short handlers); 0 never. */
  prefetch: number;
  leaseMs: number;
  pollIntervalMs: number;
  logger: Logger;
  handleSignals: boolean;
  maxPayloadBytes: number | undefined;
  /** How long a stop waits for handlers before aborting them (signals, and `stop()` without `timeoutMs`). */
  shutdownTimeoutMs: number;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === undefined || value === null) return String(value);
  return typeof value;
}

function integerOption(options: { option: string; value: unknown; min: number; max: number }): number {
  const { option, value, min, max } = options;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError({ option, message: `${option} must be an integer from ${min} to ${max}; got ${describe(value)}` });
  }
  return value;
}

function resolveWorkflow(workflow: unknown): AnyWorkflowDefinition {
  if (typeof workflow === "string") return defineWorkflow({ name: workflow });
  if (typeof workflow === "object" && workflow !== null && (workflow as { kind?: unknown }).kind === "pgqrs.workflow") {
    return workflow as AnyWorkflowDefinition;
  }
  throw new ConfigurationError({
    option: "workflow",
    message: `consumer()'s third argument must be a workflow name or a defineWorkflow() definition; got ${describe(workflow)}`,
  });
}

function isLogger(value: unknown): value is Logger {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return ["debug", "info", "warn", "error"].every((level) => typeof candidate[level] === "function");
}

/**
 * Checks the builder's settings and fills in defaults: concurrency 10, prefetch = concurrency, leaseMs 30000, pollIntervalMs 1000,
 * the default logger, handleSignals true, shutdownTimeoutMs 30000.
 * @throws InvalidNameError for a bad worker or workflow name
 * @throws ConfigurationError naming the option for anything else
 */
export function resolveWorkerConfig(state: BuilderState): WorkerConfig {
  assertWorkerName(state.name);
  const port = integerOption({ option: "port", value: state.port, min: 0, max: 65_535 });
  const workflow = resolveWorkflow(state.workflow);
  if (typeof state.handler !== "function") {
    throw new ConfigurationError({
      option: "handler",
      message: `worker "${state.name}" has no handler; call .handler(async (ctx, params) => …) before .create(store)`,
    });
  }
  const concurrency = integerOption({ option: "concurrency", value: state.concurrency ?? 10, min: 1, max: 10_000 });
  const prefetch = integerOption({ option: "prefetch", value: state.prefetch ?? concurrency, min: 0, max: 10_000 });
  // A heartbeat every leaseMs / 3 needs a lease of a few milliseconds at the very least.
  const leaseMs = integerOption({ option: "leaseMs", value: state.leaseMs ?? 30_000, min: 30, max: maxTimerMs });
  const pollIntervalMs = integerOption({ option: "pollIntervalMs", value: state.pollIntervalMs ?? 1_000, min: 1, max: maxTimerMs });
  const maxPayloadBytes =
    state.maxPayloadBytes === undefined
      ? undefined
      : integerOption({ option: "maxPayloadBytes", value: state.maxPayloadBytes, min: 1, max: Number.MAX_SAFE_INTEGER });
  const shutdownTimeoutMs = integerOption({ option: "shutdownTimeoutMs", value: state.shutdownTimeoutMs ?? 30_000, min: 0, max: maxTimerMs });
  if (state.logger !== undefined && !isLogger(state.logger)) {
    throw new ConfigurationError({ option: "logger", message: "logger must have debug, info, warn and error methods (pino's logger fits)" });
  }
  if (state.handleSignals !== undefined && typeof state.handleSignals !== "boolean") {
    throw new ConfigurationError({ option: "handleSignals", message: `handleSignals must be true or false; got ${describe(state.handleSignals)}` });
  }
  return {
    name: state.name,
    port,
    workflow,
    handler: state.handler as ExecuteRunOptions["handler"],
    concurrency,
    prefetch,
    leaseMs,
    pollIntervalMs,
    logger: state.logger ?? createDefaultLogger(),
    handleSignals: state.handleSignals ?? true,
    maxPayloadBytes,
    shutdownTimeoutMs,
  };
}
