/**
 * The two ways story 5 kills worker-a in the middle of download_files: a real process and SIGKILL on
 * PostgreSQL, a store view that stops answering on embedded PGlite (one process, so no one to kill).
 */
import { workflow, type QueueMessage } from "@pgqrs/client";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { startWorker } from "../demo-worker";
import { createKillableStore } from "../killable-store";
import { watchRun, type RunWatch } from "../watch-run";
import { zipFiles, type ZipFilesOutput } from "../workflows/zip-files";
import type { StoryContext } from "./story";

/** Options of the kill functions. */
export interface KillOptions {
  context: StoryContext;
  /** worker-a's lease. */
  leaseMs: number;
}

/** worker-a is dead; its run is RUNNING under a lease no one will extend. */
export interface KilledWorker {
  message: QueueMessage<ZipFilesOutput>;
  watch: RunWatch<ZipFilesOutput>;
  /** Releases what is left of worker-a. */
  cleanUp(): Promise<void>;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up waiting for ${what} after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function trigger(context: StoryContext): Promise<{ message: QueueMessage<ZipFilesOutput>; watch: RunWatch<ZipFilesOutput> }> {
  const { store, folder, log } = context;
  const message = await workflow(zipFiles).trigger({ bucket: folder.bucket, prefix: "reports/" }).execute(store);
  log.event(`triggered zip_files for prefix reports/ → run ${message.runId}`);
  return { message, watch: watchRun({ store, ref: message, print: log.event }) };
}

/** Embedded PGlite: worker-a's store view goes silent inside download_files, like a dead process's connection. */
export async function killInProcess({ context, leaseMs }: KillOptions): Promise<KilledWorker> {
  const { store, folder, log } = context;
  const killable = createKillableStore(store);
  const killed = deferred<void>();
  // Tearing down the dead worker at the end makes each of its hung calls fail at once; those lines are
  // expected and only counted.
  let tornDown = false;
  let hidden = 0;
  const print = (line: string) => (tornDown ? hidden++ : log.event(line));
  const workerA = await startWorker({
    name: "worker-a",
    store: killable.store,
    log: print,
    ledger: folder.ledger,
    leaseMs,
    beforeStep: async ({ stepId, ctx }) => {
      if (stepId !== "download_files") return;
      killable.kill();
      killed.resolve();
      // Like the code of a killed process, this never goes on; it only ends when cleanUp() tears worker-a down.
      if (!ctx.signal.aborted) await once(ctx.signal, "abort");
      throw ctx.signal.reason;
    },
  });
  const cleanUp = async () => {
    tornDown = true;
    await killable.sever();
    await workerA.stop(200);
    log.event(`worker-a torn down (${hidden} lines about its dead connection not shown)`);
  };
  let watch: RunWatch<ZipFilesOutput> | undefined;
  try {
    const triggered = await trigger(context);
    watch = triggered.watch;
    await within(killed.promise, 20_000, "worker-a to reach download_files");
    log.event("worker-a killed inside download_files: from now on its database connection never answers");
    return { ...triggered, cleanUp };
  } catch (error) {
    await watch?.stop();
    await cleanUp();
    throw error;
  }
}

const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const workerScript = fileURLToPath(new URL("../worker-process.ts", import.meta.url));

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** PostgreSQL: worker-a is a child process, SIGKILLed while it is inside download_files. */
export async function killWorkerProcess({ context, leaseMs }: KillOptions): Promise<KilledWorker> {
  const { folder, log, databaseUrl } = context;
  if (databaseUrl === undefined) throw new Error("killWorkerProcess needs a PostgreSQL database URL");
  const child = spawn(process.execPath, ["--import", "tsx", workerScript], {
    cwd: packageDir,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PGQRS_DEMO_LEDGER: folder.ledger,
      PGQRS_DEMO_WORKER: "worker-a",
      PGQRS_DEMO_LEASE_MS: String(leaseMs),
      PGQRS_DEMO_STALL_STEP: "download_files",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = once(child, "exit");
  const ready = deferred<string>();
  const stalled = deferred<void>();
  createInterface({ input: child.stdout }).on("line", (line) => {
    if (line.startsWith("READY ")) ready.resolve(line.slice("READY ".length));
    else if (line.startsWith("STALLED ")) stalled.resolve();
    else log.event(line);
  });
  createInterface({ input: child.stderr }).on("line", (line) => log.event(`[worker-a stderr] ${line}`));
  const cleanUp = async () => {
    if (alive(child)) child.kill("SIGKILL");
    await exited;
  };
  let watch: RunWatch<ZipFilesOutput> | undefined;
  try {
    const port = await within(Promise.race([ready.promise, exited.then(() => "exited")]), 30_000, "worker-a to start");
    if (port === "exited") throw new Error(`worker-a exited before polling (exit code ${String(child.exitCode)})`);
    log.event(
      `worker-a: process ${String(child.pid)} polling (lease ${leaseMs} ms) · ` +
        `http://127.0.0.1:${port}/healthz · http://127.0.0.1:${port}/metrics`,
    );
    const triggered = await trigger(context);
    watch = triggered.watch;
    await within(stalled.promise, 20_000, "worker-a to reach download_files");
    child.kill("SIGKILL");
    const [, signal] = await exited;
    log.event(`worker-a (process ${String(child.pid)}) killed with ${String(signal)} inside download_files`);
    return { ...triggered, cleanUp };
  } catch (error) {
    await watch?.stop();
    await cleanUp();
    throw error;
  }
}
