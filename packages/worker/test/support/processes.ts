/**
 * Starts worker fixture processes and follows their JSON-line output, so tests wait for events rather
 * than sleeping.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const fixture = fileURLToPath(new URL("../fixtures/worker-process.ts", import.meta.url));
const packageRoot = fileURLToPath(new URL("../..", import.meta.url));

/** One line a fixture printed. */
export interface FixtureEvent {
  worker: string;
  event: string;
  [key: string]: unknown;
}

/** A running fixture process. */
export interface WorkerProcess {
  child: ChildProcess;
  events: FixtureEvent[];
  /** Resolves with the first event (past or future) that matches. */
  waitFor(match: (event: FixtureEvent) => boolean): Promise<FixtureEvent>;
  /** Resolves with the exit code and signal once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/** Starts `node --import tsx worker-process.ts` with `env` added to this process's environment. */
export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", fixture], {
    cwd: packageRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const events: FixtureEvent[] = [];
  const waiters: { match: (event: FixtureEvent) => boolean; resolve: (event: FixtureEvent) => void }[] = [];
  let errorOutput = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    errorOutput += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  if (child.stdout) {
    createInterface({ input: child.stdout }).on("line", (line) => {
      let event: FixtureEvent;
      try {
        event = JSON.parse(line) as FixtureEvent;
      } catch {
        return;
      }
      events.push(event);
      for (const waiter of [...waiters]) {
        if (waiter.match(event)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      }
    });
  }
  return {
    child,
    events,
    exited,
    stderr: () => errorOutput,
    waitFor(match) {
      const seen = events.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<FixtureEvent>((resolve, reject) => {
        waiters.push({ match, resolve });
        void exited.then(({ code, signal }) =>
          reject(new Error(`worker process exited (code ${String(code)}, signal ${String(signal)}) before the awaited event:\n${errorOutput}`)),
        );
      });
    },
  };
}

/** Kills a fixture that is still running (test cleanup). */
export async function killProcess(worker: WorkerProcess): Promise<void> {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill("SIGKILL");
  await worker.exited;
}
