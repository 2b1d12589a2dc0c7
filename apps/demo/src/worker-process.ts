/**
 * A zip_files job process, as a deployment would run one, used by story 5 on PostgreSQL so that a real
 * process can be killed with SIGKILL. Configured by environment variables:
 *
 * - `DATABASE_URL` (required): the PostgreSQL database.
 * - `PGQRS_DEMO_LEDGER` (required): the ledger folder (see `ledger.ts`).
 * - `PGQRS_DEMO_WORKER`: the worker's name. Default `worker-a`.
 * - `PGQRS_DEMO_LEASE_MS`: the lease. Default 1500.
 * - `PGQRS_DEMO_STALL_STEP`: a step that stalls until the run is taken away, to be killed in.
 *
 * It prints `READY <port>` once polling and `STALLED <runId>` when it stalls; SIGTERM stops it gracefully.
 */
import { connect } from "@pgqrs/postgres-store";
import { consumer } from "@pgqrs/worker";
import { once } from "node:events";
import { createPrintingLogger } from "./demo-worker";
import { createZipHandler, type BeforeStep } from "./zip-handler";
import { zipFiles } from "./workflows/zip-files";

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`${name} must be set`);
  return value;
}

const databaseUrl = requiredEnv("DATABASE_URL");
const ledger = requiredEnv("PGQRS_DEMO_LEDGER");
const name = process.env.PGQRS_DEMO_WORKER ?? "worker-a";
const leaseMs = Number(process.env.PGQRS_DEMO_LEASE_MS ?? 1500);
const stallStep = process.env.PGQRS_DEMO_STALL_STEP;
const log = (line: string) => console.log(line);

const stall: BeforeStep = async ({ stepId, ctx }) => {
  if (stepId !== stallStep) return;
  log(`STALLED ${ctx.runId}`);
  if (!ctx.signal.aborted) await once(ctx.signal, "abort");
  throw ctx.signal.reason;
};

const store = await connect(databaseUrl);
try {
  const worker = await consumer(name, 0, zipFiles)
    .handler(createZipHandler({ worker: name, log, ledger, beforeStep: stall }))
    .leaseMs(leaseMs)
    .pollIntervalMs(100)
    .logger(createPrintingLogger(log, name))
    .create(store);
  const polling = worker.pollForever();
  log(`READY ${worker.port}`);
  await polling;
} finally {
  await store.close();
}
