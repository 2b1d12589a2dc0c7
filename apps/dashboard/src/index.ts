/**
 * `@pgqrs/dashboard`: the pgqrs web dashboard. Run it with `npx @pgqrs/dashboard --database-url …` (or
 * `pgqrs dashboard` with `@pgqrs/cli`), or embed it: `runDashboard({ databaseUrl })` connects and serves until
 * SIGINT/SIGTERM, `startDashboard({ store, databaseUrl })` serves a store you opened, `createDashboardApp()` returns
 * the Hono app to mount.
 */
export { createDashboardApp } from "./create-app";
export type { DashboardAppOptions } from "./create-app";
export { runDashboard } from "./run-dashboard";
export type { RunDashboardOptions } from "./run-dashboard";
export { startDashboard } from "./start-dashboard";
export type { RunningDashboard, StartDashboardOptions } from "./start-dashboard";
export { redactUrl } from "./redact-url";
export { computeThroughput } from "./throughput";
export type { ThroughputOptions } from "./throughput";
export type * from "./api-types";
export { runStatuses } from "./api-types";
