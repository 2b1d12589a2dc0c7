import { PgqrsError } from "./pgqrs-error";

/**
 * The value `Step.pause()` returns, to be thrown inside a step. It is not a failure: the run becomes PAUSED
 * and is delivered again at `until` (or after `delayMs`), or when resumed.
 */
export class PauseRequest extends PgqrsError {
  static override readonly code = "PAUSE_REQUESTED" as const;
  readonly delayMs: number | undefined;
  readonly until: Date | undefined;
  readonly reason: string | undefined;
  /** Set by `ctx.waitForEvent`: the run also wakes when this event is sent. */
  readonly waitEvent: string | undefined;

  constructor(options: { delayMs?: number; until?: Date; reason?: string; waitEvent?: string }) {
    super("PAUSE_REQUESTED", {
      message: `pause requested${options.reason ? ` (${options.reason})` : ""}; throw this value from inside ctx.step`,
    });
    this.delayMs = options.delayMs;
    this.until = options.until;
    this.reason = options.reason;
    this.waitEvent = options.waitEvent;
  }
}
