import { ConfigurationError, RunCancelledError, RunFailedError, RunNotFoundError, WaitTimeoutError } from "@pgqrs/core";
import type { RunWithSteps, StoredError, Subscription, WorkflowStore } from "@pgqrs/core/storage";
import { createWakeup } from "./wakeup";

/** Options of `run().status(ref).store(store).result(options)`. */
export interface ResultOptions {
  /** Give up after this many milliseconds with `WaitTimeoutError`; the run goes on. Waits forever when absent. */
  timeoutMs?: number;
  /** Aborting it rejects `result()` with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Re-read delays. Without notifications the client polls, fast at first because most runs are short. With
 * them the poll is only a safety net: a store MAY drop events.
 */
const pollDelays = { initialMs: 50, maxMs: 1_000 } as const;
const fallbackDelays = { initialMs: 1_000, maxMs: 5_000 } as const;

/** Waiting statuses; any other status is final. */
const waitingStatuses: ReadonlySet<string> = new Set(["QUEUED", "RUNNING", "PAUSED"]);

/** Thrown inside the watcher once `result()` has settled; nobody sees it. */
const settled = Symbol("settled");

interface WaitState {
  finished: boolean;
  lastStatus: string;
  subscription: Subscription | undefined;
}

/**
 * Waits until the run is final: its output on SUCCESS, `RunCancelledError` on CANCELLED, `RunFailedError`
 * otherwise.
 * @throws ConfigurationError when `timeoutMs` is not a finite number >= 0
 * @throws RunNotFoundError when the store has no such run
 * @throws RunFailedError when the run ended ERROR (carrying the stored error)
 * @throws RunCancelledError when the run ended CANCELLED (carrying the cancel's reason)
 * @throws WaitTimeoutError after `timeoutMs`
 * @throws the signal's reason when `signal` aborts
 */
export async function waitForResult<TOutput>(args: {
  store: WorkflowStore;
  runId: string;
  options: ResultOptions;
}): Promise<TOutput> {
  const { store, runId, options } = args;
  const { timeoutMs, signal } = options;
  if (timeoutMs !== undefined && (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs < 0)) {
    throw new ConfigurationError({
      option: "timeoutMs",
      message: `result() option timeoutMs must be a finite number of milliseconds >= 0; got ${String(timeoutMs)}`,
    });
  }
  signal?.throwIfAborted();

  const state: WaitState = { finished: false, lastStatus: "unread", subscription: undefined };
  const wakeup = createWakeup();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const interrupted = new Promise<never>((_, reject) => {
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => reject(new WaitTimeoutError({ runId, timeoutMs, status: state.lastStatus })), timeoutMs);
    }
    if (signal) {
      onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
    }
  });
  const watching = watch<TOutput>({ store, runId, state, wake: wakeup });
  // Whichever promise loses the race settles unobserved later (or never); keep it from surfacing as unhandled.
  watching.catch(() => undefined);
  interrupted.catch(() => undefined);

  try {
    return await Promise.race([watching, interrupted]);
  } finally {
    state.finished = true;
    if (timer !== undefined) clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
    wakeup.dispose();
    const subscription = state.subscription;
    state.subscription = undefined;
    // Events are only hints; a failed close must not turn a settled result into an error.
    await subscription?.close().catch(() => undefined);
  }
}

async function watch<TOutput>(args: {
  store: WorkflowStore;
  runId: string;
  state: WaitState;
  wake: ReturnType<typeof createWakeup>;
}): Promise<TOutput> {
  const { store, runId, state, wake } = args;
  const notify = store.capabilities.notify && store.subscribe !== undefined;
  if (notify && store.subscribe) {
    // Subscribe before the first read: an event between the read and the subscription would be lost.
    const subscription = await store.subscribe({
      onEvent: (event) => {
        if (event.type === "run-changed" && event.runId === runId) wake.wake();
      },
    });
    if (state.finished) {
      await subscription.close();
      throw settled;
    }
    state.subscription = subscription;
  }
  const delays = notify ? fallbackDelays : pollDelays;
  let delayMs: number = delays.initialMs;
  for (;;) {
    const run = await store.getRun({ runId });
    if (state.finished) throw settled;
    if (run === null) throw new RunNotFoundError(runId);
    state.lastStatus = run.status;
    if (run.status === "SUCCESS") return run.output as TOutput;
    if (run.status === "CANCELLED") throw new RunCancelledError({ runId, reason: run.cancelReason });
    if (!waitingStatuses.has(run.status)) throw new RunFailedError({ runId, error: storedErrorOf(run) });
    await wake.wait(delayMs);
    if (state.finished) throw settled;
    delayMs = Math.min(delayMs * 2, delays.maxMs);
  }
}

function storedErrorOf(run: RunWithSteps): StoredError {
  return (
    run.error ?? {
      name: "Error",
      message: `run ended ${run.status} without a stored error`,
      attempt: run.attempt,
    }
  );
}
