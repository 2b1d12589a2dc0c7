import { PgqrsError } from "./pgqrs-error";

/**
 * `ctx.waitForEvent` gave up: the event was not sent before the wait's timeout. Catch it in the handler to
 * take another path; uncaught, it ends the run ERROR (a replay would time out again, so retrying is pointless).
 */
export class EventTimeoutError extends PgqrsError {
  static override readonly code = "EVENT_TIMEOUT" as const;
  readonly runId: string;
  readonly stepId: string;
  readonly eventName: string;
  readonly timeoutMs: number;

  constructor(options: { runId: string; stepId: string; eventName: string; timeoutMs: number }) {
    super("EVENT_TIMEOUT", {
      message: `run ${options.runId} waited ${options.timeoutMs} ms at step "${options.stepId}" for event "${options.eventName}", which was not sent in time; catch EventTimeoutError to handle it, or send the event sooner`,
    });
    this.runId = options.runId;
    this.stepId = options.stepId;
    this.eventName = options.eventName;
    this.timeoutMs = options.timeoutMs;
  }
}
