/**
 * `@pgqrs/dashboard`: the pgqrs web dashboard. Run it with `npx @pgqrs/dashboard --database-url …`, or embed it:
 * `startDashboard({ store, databaseUrl })` serves it, `createDashboardApp()` returns the Hono app to mount.
 */
export { createDashboardApp } from "./create-app";
export type { DashboardAppOptions } from "./create-app";
export { startDashboard } from "./start-dashboard";
export type { RunningDashboard, StartDashboardOptions } from "./start-dashboard";
export { redactUrl } from "./redact-url";
export { computeThroughput } from "./throughput";
export type { ThroughputOptions } from "./throughput";
export type * from "./api-types";
export { runStatuses } from "./api-types";
