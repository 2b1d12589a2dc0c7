/**
 * A set of worker child processes for one scenario, optionally supervised: a supervised fleet starts a new
 * worker whenever one exits on its own (a crash), as a process manager would.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnWorker, type WorkerExit, type WorkerHandle } from "./worker-handle";
import type { WorkerSpec } from "./worker-spec";

/** Where worker logs of this suite run are written, one file per worker. */
export const logDirectory = join(tmpdir(), `pgqrs-chaos-${new Date().toISOString().replace(/[:.]/g, "-")}`);

/** Options of {@link createFleet}. */
export interface FleetOptions {
  /** The scenario's name: labels workers and names log files. */
  scenario: string;
  spec: Omit<WorkerSpec, "name">;
  /** Restart a worker that exits on its own. @default false */
  supervise?: boolean;
  /** Receives every line every worker printed, when the fleet is stopped. */
  captured: string[];
}

/** The scenario's workers. */
export interface Fleet {
  /** Every worker started, in order. */
  readonly all: readonly WorkerHandle[];
  /** Workers whose process is still running. */
  live(): WorkerHandle[];
  /** Workers that exited although nobody killed or stopped them. */
  readonly unexpectedExits: readonly { handle: WorkerHandle; exit: WorkerExit }[];
  /** Starts one more worker. */
  start(overrides?: Partial<WorkerSpec>): WorkerHandle;
  /** SIGKILLs a worker (an expected death) and resolves once it is gone. */
  kill(handle: WorkerHandle): Promise<WorkerExit>;
  /** Called after a supervised restart, with the crashed worker, its exit and its replacement. */
  onCrash(listener: (crashed: WorkerHandle, exit: WorkerExit, replacement: WorkerHandle | undefined) => void): void;
  /** Waits until every running worker is polling (a worker still starting cannot stop gracefully yet). */
  allReady(timeoutMs: number): Promise<boolean>;
  /** Stops every worker gracefully (SIGKILL after `timeoutMs`), ends supervision, and hands over their logs. */
  stopAll(timeoutMs?: number): Promise<WorkerExit[]>;
}

/** Creates an empty fleet. */
export function createFleet(options: FleetOptions): Fleet {
  const all: WorkerHandle[] = [];
  const expected = new Set<WorkerHandle>();
  const unexpectedExits: { handle: WorkerHandle; exit: WorkerExit }[] = [];
  const crashListeners: ((crashed: WorkerHandle, exit: WorkerExit, replacement: WorkerHandle | undefined) => void)[] = [];
  let stopping = false;
  let handedOver = false;
  mkdirSync(logDirectory, { recursive: true });

  const start = (overrides: Partial<WorkerSpec> = {}): WorkerHandle => {
    const label = `${options.scenario}-${all.length + 1}`;
    const handle = spawnWorker({ ...options.spec, name: label, ...overrides }, label);
    all.push(handle);
    void handle.exited.then((exit) => {
      appendFileSync(join(logDirectory, `${label}.log`), `${handle.lines.join("\n")}\nexit ${JSON.stringify(exit)}\n`);
      if (expected.has(handle) || stopping) return;
      unexpectedExits.push({ handle, exit });
      const replacement = options.supervise ? start(overrides) : undefined;
      for (const listener of crashListeners) listener(handle, exit, replacement);
    });
    return handle;
  };

  return {
    all,
    live: () => all.filter((handle) => handle.exit === undefined),
    unexpectedExits,
    start,
    async kill(handle) {
      expected.add(handle);
      handle.signal("SIGKILL");
      return await handle.exited;
    },
    onCrash: (listener) => void crashListeners.push(listener),
    async allReady(timeoutMs) {
      const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
      const ready = Promise.allSettled(all.filter((handle) => handle.exit === undefined).map((handle) => handle.ready)).then(() => true);
      return await Promise.race([ready, timeout]);
    },
    async stopAll(timeoutMs = 10_000) {
      stopping = true;
      const exits = await Promise.all(all.map((handle) => handle.stop(timeoutMs)));
      if (!handedOver) {
        handedOver = true;
        for (const handle of all) options.captured.push(...handle.lines);
      }
      return exits;
    },
  };
}
