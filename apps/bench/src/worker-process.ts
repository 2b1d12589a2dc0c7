import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { WorkerCommand, WorkerEvent, WorkerSpec } from "./systems/types";

const entry = fileURLToPath(new URL("./worker-entry.ts", import.meta.url));

/** A worker process of one system; it runs one worker at a time, built fresh for each repetition. */
export interface WorkerProcess {
  /** Resolves once the process has loaded its system and waits for `start()`. */
  readonly ready: Promise<void>;
  /**
   * Builds a worker and starts it; the promise resolves with the time (epoch ms) its first job began.
   * `holdMs` is how long a `recovery` job holds in its second step.
   */
  start(holdMs?: number): Promise<number>;
  /**
   * Stops the current worker (gracefully) and keeps the process for the next `start()`; resolves with the CPU time
   * (µs) the process used since `start()`.
   */
  halt(): Promise<number>;
  /** Calls `listener` for every event the worker reports. */
  onEvent(listener: (event: WorkerEvent) => void): void;
  /** Ends the process gracefully; SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
  /** SIGKILL, as a crashed host would; resolves once the process is gone. */
  kill(): Promise<void>;
}

function gone(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function exited(child: ChildProcess): Promise<void> {
  if (gone(child)) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Resolves at the next event of `type`; rejects if the process exits first. */
function nextEvent(child: ChildProcess, type: WorkerEvent["type"]): Promise<WorkerEvent> {
  return new Promise((resolve, reject) => {
    const onMessage = (event: WorkerEvent) => {
      if (event.type !== type) return;
      child.off("exit", onExit);
      child.off("message", onMessage);
      resolve(event);
    };
    const onExit = (code: number | null, signal: string | null) => {
      child.off("message", onMessage);
      reject(new Error(`bench: worker process exited (${code ?? signal}) while waiting for ${type}`));
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/** Forks `worker-entry.ts`; the child inherits the bench's TypeScript loader (tsx) through `process.execArgv`. */
export function spawnWorker(spec: Omit<WorkerSpec, "holdMs">): WorkerProcess {
  const child = fork(entry, [JSON.stringify(spec)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const command = (message: WorkerCommand) => child.send(message);
  const ready = nextEvent(child, "ready").then(() => undefined);
  ready.catch(() => undefined);
  return {
    ready,
    async start(holdMs = 0) {
      const first = nextEvent(child, "first-job");
      command({ type: "start", holdMs });
      const event = await first;
      return event.type === "first-job" ? event.at : 0;
    },
    async halt() {
      const halted = nextEvent(child, "halted");
      command({ type: "halt" });
      const event = await halted;
      return event.type === "halted" ? event.cpuMicros : 0;
    },
    onEvent: (listener) => child.on("message", listener),
    async stop(timeoutMs = 10_000) {
      if (gone(child)) return;
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      command({ type: "exit" });
      await exited(child);
      clearTimeout(timer);
    },
    async kill() {
      if (!gone(child)) child.kill("SIGKILL");
      await exited(child);
    },
  };
}
