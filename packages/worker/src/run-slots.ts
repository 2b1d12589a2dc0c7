import { executeRun, type ExecuteRunOptions, type Logger, type RunOutcome, type StepEvent, type WorkflowStore } from "@pgqrs/core";
import type { ClaimedRun, Lease } from "@pgqrs/core/storage";

/** What every run of one worker shares. */
export interface RunSlotsOptions {
  store: WorkflowStore;
  /** Handlers that may run at once; runs offered beyond it wait in order for a free slot. */
  concurrency: number;
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

/**
 * The runs a worker holds: those executing now, each with the AbortController behind its `ctx.signal`, and those
 * claimed ahead, waiting for a slot.
 */
export interface RunSlots {
  /** Runs held: attempts in flight (including those whose outcome is being recorded) and runs waiting. */
  readonly size: number;
  /** Attempts whose handler may still run: what the claim loop keeps within the concurrency. */
  readonly busy: number;
  /** Runs claimed ahead, waiting for a slot. */
  readonly waiting: number;
  /** Moving average of recent handlers' run time in milliseconds; undefined before the first one is done. */
  readonly recentHandlerMs: number | undefined;
  /** Starts each run through the core engine while a slot is free; the rest wait, in order, for the next slots. */
  offer(runs: readonly ClaimedRun[]): void;
  /** The leases held (running and waiting), for the heartbeat. */
  leases(): Lease[];
  /** True while a run is held under `lease` (running or waiting) and its signal has not been aborted. */
  isRunning(lease: Lease): boolean;
  /**
   * Aborts one attempt's signal, when `lease` is still the one it runs under. A waiting run starts at once with its
   * signal aborted, so the engine ends it as for any stop (released, cancelled, or nothing written on a lost lease)
   * without calling the handler.
   */
  abort(lease: Lease, reason: Error): void;
  /** Aborts every held run, running or waiting, as `abort` does. */
  abortAll(reason: Error): void;
  /** Aborts the waiting runs only (a stop hands them back at once; running handlers get their grace period). */
  abortWaiting(reason: Error): void;
  /** Resolves true once no run is held, or false when `timeoutMs` passes first. */
  waitIdle(timeoutMs: number): Promise<boolean>;
}

/** Weight of the newest handler in {@link RunSlots.recentHandlerMs}. */
const averageWeight = 0.2;

interface Slot {
  lease: Lease;
  controller: AbortController;
  /** The handler is done; only the engine's write of the outcome is left. */
  handlerDone: boolean;
  /** `performance.now()` when the attempt started. */
  startedAt: number;
}

/**
 * Creates the in-flight registry. The step rules stay in `executeRun`; a slot only owns the attempt's
 * AbortController and reports how the attempt ended.
 */
export function createRunSlots(options: RunSlotsOptions): RunSlots {
  const slots = new Map<string, Slot>();
  const queue: ClaimedRun[] = [];
  const idleWaiters = new Set<() => void>();
  // Counted per slot, not from the map: a run retried visible at once can be claimed again (a new slot under the
  // same run id) before its previous attempt's slot settles.
  let busy = 0;
  let recentHandlerMs: number | undefined;
  let startScheduled = false;

  const wakeIfIdle = (): void => {
    if (slots.size === 0 && queue.length === 0) for (const wake of [...idleWaiters]) wake();
  };

  // Waiting runs take freed slots on the next microtask, outside the engine callback that freed them.
  const startWaiting = (): void => {
    startScheduled = false;
    while (busy < options.concurrency && queue.length > 0) start(queue.shift() as ClaimedRun);
  };
  const scheduleStart = (): void => {
    if (startScheduled || queue.length === 0) return;
    startScheduled = true;
    queueMicrotask(startWaiting);
  };

  const freeSlot = (slot: Slot): void => {
    slot.handlerDone = true;
    busy -= 1;
    scheduleStart();
  };

  // The engine says when the handler is no longer running; from then on only the outcome's write is left.
  const markDone = (slot: Slot): void => {
    if (slot.handlerDone) return;
    const ms = performance.now() - slot.startedAt;
    recentHandlerMs = recentHandlerMs === undefined ? ms : recentHandlerMs + averageWeight * (ms - recentHandlerMs);
    freeSlot(slot);
    options.onHandlerDone();
  };

  const settle = (runId: string, slot: Slot): void => {
    if (!slot.handlerDone) freeSlot(slot);
    if (slots.get(runId) === slot) slots.delete(runId);
    options.onSettled();
    wakeIfIdle();
  };

  function start(run: ClaimedRun, abortWith?: Error): void {
    const slot: Slot = {
      lease: { runId: run.runId, leaseToken: run.leaseToken },
      controller: new AbortController(),
      handlerDone: false,
      startedAt: performance.now(),
    };
    if (abortWith !== undefined) slot.controller.abort(abortWith);
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
  }

  const takeWaiting = (lease: Lease): ClaimedRun | undefined => {
    const index = queue.findIndex((run) => run.runId === lease.runId && run.leaseToken === lease.leaseToken);
    return index === -1 ? undefined : queue.splice(index, 1)[0];
  };

  const abortWaiting = (reason: Error): void => {
    for (const run of queue.splice(0)) start(run, reason);
  };

  return {
    get size() {
      return slots.size + queue.length;
    },
    get busy() {
      return busy;
    },
    get waiting() {
      return queue.length;
    },
    get recentHandlerMs() {
      return recentHandlerMs;
    },
    offer(runs) {
      for (const run of runs) {
        if (busy < options.concurrency && queue.length === 0) start(run);
        else queue.push(run);
      }
    },
    leases() {
      return [
        ...[...slots.values()].map((slot) => ({ ...slot.lease })),
        ...queue.map((run) => ({ runId: run.runId, leaseToken: run.leaseToken })),
      ];
    },
    isRunning(lease) {
      if (queue.some((run) => run.runId === lease.runId && run.leaseToken === lease.leaseToken)) return true;
      const slot = slots.get(lease.runId);
      return slot !== undefined && slot.lease.leaseToken === lease.leaseToken && !slot.controller.signal.aborted;
    },
    abort(lease, reason) {
      const waitingRun = takeWaiting(lease);
      if (waitingRun !== undefined) {
        start(waitingRun, reason);
        return;
      }
      const slot = slots.get(lease.runId);
      if (slot !== undefined && slot.lease.leaseToken === lease.leaseToken) slot.controller.abort(reason);
    },
    abortAll(reason) {
      for (const slot of slots.values()) slot.controller.abort(reason);
      abortWaiting(reason);
    },
    abortWaiting,
    waitIdle(timeoutMs) {
      if (slots.size === 0 && queue.length === 0) return Promise.resolve(true);
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
