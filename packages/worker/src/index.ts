/**
 * `@pgqrs/worker`: the polling runtime. `consumer(name, port, workflow).handler(fn).create(store)` returns a
 * `Worker` that claims runs, runs them through the core step engine, heartbeats their leases, and serves
 * `/healthz` and `/metrics`.
 */
export { consumer, type ConsumerBuilder } from "./consumer";
export type { StopOptions, Worker } from "./worker";
