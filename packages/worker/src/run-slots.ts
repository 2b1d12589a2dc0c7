import { executeRun, type ExecuteRunOptions, type Logger, type RunOutcome, type StepEvent, type WorkflowStore } from "@pgqrs/core";
import type { ClaimedRun, Lease } from "@pgqrs/core/storage";

/** What every run of one worker shares. */
export interface RunSlotsOptions {
  store: WorkflowStore;
  workflow: ExecuteRunOptions["workflow"];
  handler: ExecuteRunOptions["handler"];
  logger: Logger;
  maxPayloadBytes: number | undefined;
  onStep(event: StepEvent): void;
  /** An attempt ended with this outcome. */
  onOutcome(outcome: RunOutcome): void;
  /** Recording the outcome failed for another reason than a lost lease (the store is down). */
  onStoreError(error: unknown): void;
  /** A slot became free (after `onOutcome` / `onStoreError`). */
  onSettled(): void;
  /**
   * An attempt's handler is no longer running (the engine's `onHandlerSettled`) and its outcome is being written: the
   * slot counts as free for claiming from now on, so the next claim overlaps that write's round trip.
   */
  onHandlerDone(): void;
}

/** The runs a worker is executing now, each with the AbortController behind its `ctx.signal`. */
export interface RunSlots {
  /** Attempts in flight, including those whose outcome is being recorded. */
  readonly size: number;
  /** Attempts whose handler may still run: what the claim loop keeps within the concurrency. */
  readonly busy: number;
  /** Starts one attempt through the core engine. */
  start(run: ClaimedRun): void;
  /** The leases held, for the heartbeat. */
  leases(): Lease[];
  /** True while an attempt runs under `lease` and its signal has not been aborted. */
  isRunning(lease: Lease): boolean;
  /** Aborts one attempt's signal, when `lease` is still the one it runs under. */
  abort(lease: Lease, reason: Error): void;
  /** Aborts every attempt's signal. */
  abortAll(reason: Error): void;
  /** Resolves true once no run is in flight, or false when `timeoutMs` passes first. */
  waitIdle(timeoutMs: number): Promise<boolean>;
}

interface Slot {
  lease: Lease;
  controller: AbortController;
  /** The handler is done; only the engine's write of the outcome is left. */
  handlerDone: boolean;
}

/**
 * Creates the in-flight registry. The step rules stay in `executeRun`; a slot only owns the attempt's
 * AbortController and reports how the attempt ended.
 */
export function createRunSlots(options: RunSlotsOptions): RunSlots {
  const slots = new Map<string, Slot>();
  const idleWaiters = new Set<() => void>();
  // Counted per slot, not from the map: a run retried visible at once can be claimed again (a new slot under the
  // same run id) before its previous attempt's slot settles.
  let busy = 0;

  // The engine says when the handler is no longer running; from then on only the outcome's write is left.
  const markDone = (slot: Slot): void => {
    if (slot.handlerDone) return;
    slot.handlerDone = true;
    busy -= 1;
    options.onHandlerDone();
  };

  const settle = (runId: string, slot: Slot): void => {
    if (!slot.handlerDone) {
      slot.handlerDone = true;
      busy -= 1;
    }
    if (slots.get(runId) === slot) slots.delete(runId);
    options.onSettled();
    if (slots.size === 0) for (const wake of [...idleWaiters]) wake();
  };

  return {
    get size() {
      return slots.size;
    },
    get busy() {
      return busy;
    },
    start(run) {
      const slot: Slot = { lease: { runId: run.runId, leaseToken: run.leaseToken }, controller: new AbortController(), handlerDone: false };
      slots.set(run.runId, slot);
      busy += 1;
      executeRun({
        store: options.store,
        run,
        workflow: options.workflow,
        handler: options.handler,
        signal: slot.controller.signal,
        logger: options.logger,
        ...(options.maxPayloadBytes === undefined ? {} : { maxPayloadBytes: options.maxPayloadBytes }),
        onStep: options.onStep,
        onHandlerSettled: () => markDone(slot),
      })
        .then(
          (outcome) => options.onOutcome(outcome),
          (error: unknown) => options.onStoreError(error),
        )
        .finally(() => settle(run.runId, slot));
    },
    leases() {
      return [...slots.values()].map((slot) => ({ ...slot.lease }));
    },
    isRunning(lease) {
      const slot = slots.get(lease.runId);
      return slot !== undefined && slot.lease.leaseToken === lease.leaseToken && !slot.controller.signal.aborted;
    },
    abort(lease, reason) {
      const slot = slots.get(lease.runId);
      if (slot !== undefined && slot.lease.leaseToken === lease.leaseToken) slot.controller.abort(reason);
    },
    abortAll(reason) {
      for (const slot of slots.values()) slot.controller.abort(reason);
    },
    waitIdle(timeoutMs) {
      if (slots.size === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const done = (idle: boolean): void => {
          if (timer !== undefined) clearTimeout(timer);
          idleWaiters.delete(onIdle);
          resolve(idle);
        };
        const onIdle = (): void => done(true);
        idleWaiters.add(onIdle);
        if (Number.isFinite(timeoutMs)) timer = setTimeout(() => done(false), Math.min(Math.max(0, timeoutMs), 2_147_483_647));
      });
    },
  };
}
