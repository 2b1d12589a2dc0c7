/** Starts a worker for a story and stops it cleanly afterwards. */
import type { Logger } from "@pgqrs/core";
import type { WorkflowStore } from "@pgqrs/core/storage";
import { consumer } from "@pgqrs/worker";
import { createReportHandler, type ReportHandlerOptions } from "./report-handler";
import { createZipHandler, type ZipHandlerOptions } from "./zip-handler";
import { publishReport } from "./workflows/publish-report";
import { zipFiles } from "./workflows/zip-files";

/** A running worker: its `pollForever()` loop and a clean stop. */
export interface DemoWorker {
  readonly name: string;
  readonly port: number;
  readonly healthUrl: string;
  readonly metricsUrl: string;
  /** Stops the worker (in-flight runs get `timeoutMs` to finish) and waits for its loop to end. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Options of {@link startWorker}. */
export interface StartWorkerOptions extends Omit<ZipHandlerOptions, "worker"> {
  name: string;
  store: WorkflowStore;
  /** @default 10000 */
  leaseMs?: number;
  /** Where the worker's own warnings go. @default printed with `log` */
  logger?: Logger;
}

/** Prints warnings and errors of the worker through `log`; drops debug and info. */
export function createPrintingLogger(log: (line: string) => void, name: string): Logger {
  const print = (level: string) => (object: object, message?: string) => {
    const error = (object as { err?: unknown }).err;
    const detail = error instanceof Error ? `: ${error.message}` : "";
    log(`[${name}] ${level}: ${message ?? ""}${detail}`);
  };
  return { debug: () => undefined, info: () => undefined, warn: print("warn"), error: print("error") };
}

/** The part of a created worker {@link launch} needs. */
interface CreatedWorker {
  readonly port: number;
  pollForever(): Promise<void>;
  stop(options: { timeoutMs: number }): Promise<unknown>;
}

/** Creates the zip_files worker, starts `pollForever()` and prints its health and metrics URLs. */
export async function startWorker(options: StartWorkerOptions): Promise<DemoWorker> {
  const { name, store, leaseMs = 10_000, logger, ...handlerOptions } = options;
  const worker = await consumer(name, 0, zipFiles)
    .handler(createZipHandler({ worker: name, ...handlerOptions }))
    .leaseMs(leaseMs)
    .pollIntervalMs(100)
    .logger(logger ?? createPrintingLogger(options.log, name))
    // The tour owns the process: it stops its workers itself, and Ctrl-C ends it as usual.
    .handleSignals(false)
    .create(store);
  return launch({ name, worker, leaseMs, log: options.log });
}

/** Options of {@link startReportWorker}. */
export interface StartReportWorkerOptions extends Omit<ReportHandlerOptions, "worker"> {
  name: string;
  store: WorkflowStore;
}

/** Creates the publish_report worker of story 6 and starts it like {@link startWorker}. */
export async function startReportWorker(options: StartReportWorkerOptions): Promise<DemoWorker> {
  const { name, store, ...handlerOptions } = options;
  const leaseMs = 10_000;
  const worker = await consumer(name, 0, publishReport)
    .handler(createReportHandler({ worker: name, ...handlerOptions }))
    .leaseMs(leaseMs)
    .pollIntervalMs(100)
    .logger(createPrintingLogger(options.log, name))
    .handleSignals(false)
    .create(store);
  return launch({ name, worker, leaseMs, log: options.log });
}

function launch(args: { name: string; worker: CreatedWorker; leaseMs: number; log: (line: string) => void }): DemoWorker {
  const { name, worker, leaseMs } = args;
  const polling = worker.pollForever();
  const base = `http://127.0.0.1:${worker.port}`;
  const demoWorker: DemoWorker = {
    name,
    port: worker.port,
    healthUrl: `${base}/healthz`,
    metricsUrl: `${base}/metrics`,
    async stop(timeoutMs = 5_000) {
      await worker.stop({ timeoutMs });
      await polling;
    },
  };
  args.log(`${name} polling (lease ${leaseMs} ms) · ${demoWorker.healthUrl} · ${demoWorker.metricsUrl}`);
  return demoWorker;
}
