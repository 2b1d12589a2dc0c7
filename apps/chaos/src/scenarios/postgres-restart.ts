/**
 * Postgres restart: the whole server is restarted (`pg_ctlcluster … restart`) while two workers work through
 * 800 runs. Set PGQRS_CHAOS_RESTART_COMMAND to restart another way (a container, a service manager).
 */
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { promisify } from "node:util";
import type { Monitor } from "../database";
import type { Scenario } from "../scenario";
import { runConnectionFaults } from "./connection-faults";

const run = promisify(execFile);

async function restartServer(): Promise<string> {
  const custom = process.env.PGQRS_CHAOS_RESTART_COMMAND;
  if (custom !== undefined && custom !== "") {
    await run("sh", ["-c", custom], { timeout: 60_000 });
    return custom;
  }
  // Debian/Ubuntu clusters: one version directory under /etc/postgresql, the cluster called "main".
  const versions = readdirSync("/etc/postgresql");
  const version = versions.sort().at(-1);
  if (version === undefined) throw new Error("no cluster under /etc/postgresql; set PGQRS_CHAOS_RESTART_COMMAND");
  await run("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "restart"], { timeout: 60_000 });
  return `pg_ctlcluster ${version} main restart`;
}

/** When the running server process started (epoch ms). */
async function startTime(monitor: Monitor): Promise<number> {
  const [row] = await monitor.query<{ started: number }>("select (extract(epoch from pg_postmaster_start_time()) * 1000)::float8 as started");
  return row?.started ?? 0;
}

/** Scenario 3: the PostgreSQL server restarted mid-run. */
export const postgresRestart: Scenario = {
  name: "postgres-restart",
  title: "PostgreSQL restarted mid-run; no worker process may exit",
  timeoutMs: 150_000,
  run: (context) =>
    runConnectionFaults(context, {
      label: "restart",
      runs: 800,
      at: [0.3],
      async inject(monitor) {
        const before = await startTime(monitor);
        const startedAt = Date.now();
        const command = await restartServer();
        const took = Date.now() - startedAt;
        // Work done after the new server process started is recovered work.
        const after = await startTime(monitor);
        return { description: `${command} took ${took} ms`, ok: after > before, startedAt, over: after };
      },
    }),
};
