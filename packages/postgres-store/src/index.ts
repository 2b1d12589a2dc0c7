/**
 * `@pgqrs/postgres-store`: the pgqrs `WorkflowStore` on PostgreSQL through `pg`, or on embedded PGlite, via
 * drizzle-orm. `connect()` opens a store and migrates; `createPostgresStore()` wraps an already-migrated database;
 * `migrate()` applies the schema on its own (for deploy scripts and CLIs).
 */
export { connect } from "./connect";
export type { ConnectOptions, ConnectTarget } from "./connect";
export { createPostgresStore } from "./store";
export type { PostgresStoreTarget, StoreOptions } from "./store";
export { migrate, migrationsFolder, migrationsSchema } from "./migrate";
export type { MigrateTarget, MigrationResult } from "./migrate";
export type { StoreLogger } from "./logger";
export { eventChannel } from "./events";
