/**
 * The end-to-end harness: one store per test file (from a factory per store kind), workers started per test
 * and always stopped, and waiting helpers that poll with a deadline instead of sleeping.
 */
import type { RunStatus, WorkflowStore } from "@pgqrs/core/storage";
import { run, type RunInfo } from "@pgqrs/client";

/** Opens the store a test file runs against. */
export interface StoreFactory {
  /** Shown in test names: `memory`, `pglite`, `postgres`. */
  name: string;
  /** When true the suite is skipped (PostgreSQL down outside CI). */
  skip?: boolean;
  open(): Promise<OpenedStore>;
}

export interface OpenedStore {
  store: WorkflowStore;
  /** The database URL, when another process can open the same store (PostgreSQL only). */
  url?: string;
  /** Releases the store and anything the factory created for it. */
  close(): Promise<void>;
}

let counter = 0;

/** A workflow name no other test of the file uses, so tests sharing a store never see each other's runs. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}_${counter}_${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Re-reads the run until `accept` holds, at most `timeoutMs`; no fixed sleep decides the outcome.
 * @throws Error naming the last status seen when the deadline passes
 */
export async function waitForRun(args: {
  store: WorkflowStore;
  runId: string;
  accept: (info: RunInfo) => boolean;
  timeoutMs?: number;
}): Promise<RunInfo> {
  const deadline = Date.now() + (args.timeoutMs ?? 10_000);
  let last: RunInfo | undefined;
  while (Date.now() < deadline) {
    last = await run().status(args.runId).store(args.store).get();
    if (args.accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`run ${args.runId} did not reach the expected state in time; last status ${last?.status ?? "unread"}`);
}

/** Waits until the run has `status`. */
export function waitForStatus(store: WorkflowStore, runId: string, status: RunStatus): Promise<RunInfo> {
  return waitForRun({ store, runId, accept: (info) => info.status === status });
}

/** A promise with its resolve function, to hold a step open until the test lets it finish. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** A logger that drops everything: failures under test are expected, and asserted through the client. */
export const silentLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
