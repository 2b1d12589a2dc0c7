/**
 * How worker child processes are started. By default the worker entry is bundled once per suite run (esbuild,
 * same sources) and each child runs `node --enable-source-maps <bundle>`: a start costs a fraction of a CPU
 * second, against about two with `node --import tsx src/worker-process.ts`, which matters when the kill -9 storm
 * starts a worker every 1–3 s on a 2-core machine. PGQRS_CHAOS_RUNNER=tsx runs the TypeScript entry through tsx
 * instead.
 */
import { cpSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { build } from "esbuild";
import { packageRoot, workerEntry } from "./settings";

/** The command a worker child process runs, without its spec argument. */
export interface WorkerCommand {
  args: string[];
  cwd: string;
  describe: string;
}

let prepared: WorkerCommand | undefined;

/** Bundles the worker entry into `directory` (or chooses tsx), once. */
export async function prepareWorkerRunner(directory: string): Promise<WorkerCommand> {
  if (process.env.PGQRS_CHAOS_RUNNER === "tsx") {
    prepared = { args: ["--import", "tsx", workerEntry], cwd: packageRoot, describe: "node --import tsx src/worker-process.ts" };
    return prepared;
  }
  const outfile = join(directory, "bundle", "worker-process.mjs");
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [workerEntry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: true,
    logLevel: "error",
    // Optional drivers a worker on a postgres:// URL never loads (pgqrs imports them dynamically, on first use).
    external: ["@electric-sql/pglite", "drizzle-orm/pglite", "drizzle-orm/pglite/*", "pg-native"],
    banner: { js: "import { createRequire as __chaosRequire } from 'node:module'; const require = __chaosRequire(import.meta.url);" },
  });
  // migrate() finds its SQL at ../drizzle from its module: give the bundle the shipped migrations at that place.
  const storeEntry = createRequire(join(packageRoot, "package.json")).resolve("@pgqrs/postgres-store");
  cpSync(join(dirname(storeEntry), "..", "drizzle"), join(directory, "drizzle"), { recursive: true });
  prepared = { args: ["--enable-source-maps", outfile], cwd: packageRoot, describe: `node ${outfile} (bundled from src/worker-process.ts)` };
  return prepared;
}

/** The prepared command. @throws Error when {@link prepareWorkerRunner} has not run */
export function workerCommand(): WorkerCommand {
  if (prepared === undefined) throw new Error("prepareWorkerRunner() must run before workers are started");
  return prepared;
}
