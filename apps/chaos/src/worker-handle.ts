/**
 * A worker child process seen from the suite: its stdout lines (events and logs), its pgqrs worker id once ready,
 * and the signals the scenarios send it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { workerCommand } from "./worker-runner";
import type { WorkerEvent, WorkerSpec } from "./worker-spec";

/** How a worker process ended. */
export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

/** One worker child process. */
export interface WorkerHandle {
  readonly label: string;
  readonly pid: number;
  /** Every line it printed (stdout and stderr), in order. */
  readonly lines: string[];
  /** Its pgqrs worker id, once `ready`. */
  readonly workerId: string | undefined;
  /** Resolves with the worker id when the worker is polling; rejects if the process ends first. */
  readonly ready: Promise<string>;
  /** Resolves when the process has ended. */
  readonly exited: Promise<WorkerExit>;
  /** Set once the process has ended. */
  readonly exit: WorkerExit | undefined;
  /** Calls `listener` with every event line. */
  onEvent(listener: (event: WorkerEvent) => void): void;
  /** Sends a signal (SIGKILL, SIGSTOP, SIGCONT, SIGTERM). */
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM (graceful stop), then SIGKILL after `timeoutMs`; resolves once it is gone. */
  stop(timeoutMs?: number): Promise<WorkerExit>;
}

function parseEvent(line: string): WorkerEvent | undefined {
  if (!line.startsWith('{"chaos"')) return undefined;
  try {
    return JSON.parse(line) as WorkerEvent;
  } catch {
    return undefined;
  }
}

/** Children still running; killed when the suite exits, so none outlives it (a SIGSTOPped one would otherwise stay). */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killLeftovers(): void {
  for (const child of running) child.kill("SIGKILL");
}

/** Starts a worker child process (see worker-runner.ts) with the spec as its argument. */
export function spawnWorker(spec: WorkerSpec, label: string): WorkerHandle {
  const command = workerCommand();
  const child: ChildProcess = spawn(process.execPath, [...command.args, JSON.stringify(spec)], {
    cwd: command.cwd,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  running.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", killLeftovers);
  }
  const lines: string[] = [];
  const listeners: ((event: WorkerEvent) => void)[] = [];
  let workerId: string | undefined;
  let exit: WorkerExit | undefined;
  let resolveReady: (id: string) => void = () => undefined;
  let rejectReady: (error: Error) => void = () => undefined;
  const ready = new Promise<string>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => undefined);
  const exited = new Promise<WorkerExit>((resolve) => {
    child.once("exit", (code, signal) => {
      running.delete(child);
      exit = { code, signal, at: Date.now() };
      rejectReady(new Error(`worker ${label} exited before it was ready (${code ?? signal})`));
      resolve(exit);
    });
  });
  const onLine = (line: string): void => {
    lines.push(line);
    const event = parseEvent(line);
    if (event === undefined) return;
    if (event.chaos === "ready") {
      workerId = event.workerId;
      resolveReady(event.workerId);
    }
    for (const listener of listeners) listener(event);
  };
  if (child.stdout) createInterface({ input: child.stdout }).on("line", onLine);
  if (child.stderr) createInterface({ input: child.stderr }).on("line", onLine);
  // The IPC channel only tells the child when the suite is gone; nothing is sent over it.
  child.on("error", (error) => lines.push(`spawn error: ${error.message}`));
  child.channel?.unref();

  const handle: WorkerHandle = {
    label,
    pid: child.pid ?? -1,
    lines,
    get workerId() {
      return workerId;
    },
    ready,
    exited,
    get exit() {
      return exit;
    },
    onEvent: (listener) => void listeners.push(listener),
    signal(signal) {
      if (exit === undefined) child.kill(signal);
    },
    async stop(timeoutMs = 10_000) {
      if (exit !== undefined) return exit;
      child.kill("SIGCONT");
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
  return handle;
}
