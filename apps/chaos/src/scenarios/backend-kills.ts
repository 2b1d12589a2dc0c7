/**
 * Backend kills: `pg_terminate_backend` on every connection to the scenario database (except the one issuing it),
 * five times while two workers work through 1,000 runs.
 */
import type { Scenario } from "../scenario";
import { runConnectionFaults } from "./connection-faults";

/** Scenario 2: every backend of the worker database terminated, five times. */
export const backendKills: Scenario = {
  name: "backend-kills",
  title: "pg_terminate_backend on every connection of the worker database, 5 times mid-run",
  timeoutMs: 150_000,
  run: (context) =>
    runConnectionFaults(context, {
      label: "backends",
      runs: 1_000,
      at: [0.1, 0.25, 0.4, 0.55, 0.7],
      async inject(monitor, databaseName) {
        const startedAt = Date.now();
        const rows = await monitor.query<{ terminated: boolean }>(
          `select pg_terminate_backend(pid) as terminated from pg_stat_activity
           where datname = $1 and pid <> pg_backend_pid() and backend_type = 'client backend'`,
          [databaseName],
        );
        const over = Date.now();
        const terminated = rows.filter((row) => row.terminated).length;
        return { description: `terminated ${terminated} connections`, ok: terminated >= 4, startedAt, over };
      },
    }),
};
