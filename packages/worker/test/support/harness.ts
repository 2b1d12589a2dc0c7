/**
 * Helpers for the worker's unit tests: workers that are always stopped, a store spy, a store that fails on
 * demand, a log recorder and event-driven waits (no sleeps).
 */
import type { Logger, WorkflowStore } from "@pgqrs/core";
import type { RunStatus, RunWithSteps } from "@pgqrs/core/storage";
import type { MemoryStore } from "@pgqrs/core/testing";
import { afterEach, expect } from "vitest";
import type { Worker } from "../../src/index";

/** Registers workers to stop after each test, and checks none left a signal listener behind. */
export function trackWorkers(): (worker: Worker) => Worker {
  const workers: Worker[] = [];
  const listeners = { SIGINT: process.listenerCount("SIGINT"), SIGTERM: process.listenerCount("SIGTERM") };
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop({ timeoutMs: 0 })));
    expect(process.listenerCount("SIGINT")).toBe(listeners.SIGINT);
    expect(process.listenerCount("SIGTERM")).toBe(listeners.SIGTERM);
  });
  return (worker) => {
    workers.push(worker);
    return worker;
  };
}

/** A promise with its resolve function outside. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Resolves with the run once it reaches `status`, driven by the memory store's `run-changed` events. */
export async function waitForStatus(store: MemoryStore, runId: string, status: RunStatus): Promise<RunWithSteps> {
  const reached = deferred();
  const subscription = await store.subscribe({
    onEvent: (event) => {
      if (event.type === "run-changed" && event.runId === runId && event.status === status) reached.resolve();
    },
  });
  try {
    const current = await store.getRun({ runId });
    if (current?.status !== status) await reached.promise;
  } finally {
    await subscription.close();
  }
  const run = await store.getRun({ runId });
  if (run === null) throw new Error(`run ${runId} vanished`);
  return run;
}

/** Method calls recorded by {@link spyStore}. */
export interface StoreCall {
  method: string;
  args: unknown;
  result?: unknown;
}

/**
 * Wraps a store, recording every method call and its result, and throwing from the methods named in
 * `failing` while their counter is above zero (or while `failing.always` is true).
 */
export function spyStore<TStore extends WorkflowStore>(
  store: TStore,
  options: { failures?: Partial<Record<keyof WorkflowStore, number>> } = {},
): { store: TStore; calls: StoreCall[]; failures: Partial<Record<keyof WorkflowStore, number>>; maxConcurrentClaims: () => number } {
  const calls: StoreCall[] = [];
  const failures = { ...options.failures };
  let claimsInFlight = 0;
  let maxClaims = 0;
  const wrapped = { ...store } as TStore;
  for (const [key, value] of Object.entries(store)) {
    if (typeof value !== "function") continue;
    const method = key as keyof WorkflowStore;
    (wrapped as Record<string, unknown>)[key] = async (args: unknown) => {
      const call: StoreCall = { method, args };
      calls.push(call);
      const left = failures[method] ?? 0;
      if (left > 0) {
        failures[method] = left - 1;
        throw new Error(`connection terminated unexpectedly (${method})`);
      }
      if (method === "claimRuns") maxClaims = Math.max(maxClaims, (claimsInFlight += 1));
      try {
        call.result = await (value as (args: unknown) => Promise<unknown>).call(store, args);
        return call.result;
      } finally {
        if (method === "claimRuns") claimsInFlight -= 1;
      }
    };
  }
  return { store: wrapped, calls, failures, maxConcurrentClaims: () => maxClaims };
}

/** A logger that keeps every entry, for assertions on what was (not) logged. */
export function recordingLogger(): Logger & { entries: { level: string; object: object; message: string | undefined }[] } {
  const entries: { level: string; object: object; message: string | undefined }[] = [];
  const at = (level: string) => (object: object, message?: string) => void entries.push({ level, object, message });
  return { entries, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** GETs a path of a worker's HTTP server. */
export async function get(worker: Worker, path: string, init?: RequestInit): Promise<{ status: number; body: string; contentType: string | null }> {
  const response = await fetch(`http://127.0.0.1:${worker.port}${path}`, init);
  return { status: response.status, body: await response.text(), contentType: response.headers.get("content-type") };
}

/** A logger that drops everything, so expected warnings do not clutter test output. */
export const quietLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** `vi.waitFor` options for state reached through real timers: generous, since CI machines stall. */
export const patience = { timeout: 10_000, interval: 20 };
