import type { Command } from "commander";
import { withExamples } from "../examples";
import { writeLines, type CliIo } from "../io";
import { shippedMigrations } from "../schema-info";
import { createSession } from "../session";

/** `pgqrs migrate`: applies pending migrations (idempotent) and says what it applied. */
export function registerMigrate(program: Command, io: CliIo): void {
  const command = program
    .command("migrate")
    .description("create or upgrade the pgqrs schema (idempotent; safe while workers run)")
    .action(async (_options: object, self: Command) => {
      const session = createSession(io, self);
      const url = session.databaseUrl();
      const { migrate } = await import("@pgqrs/postgres-store");
      const { applied } = await migrate(url);
      const latest = (await shippedMigrations()).at(-1)?.tag ?? "none";
      if (applied.length === 0) {
        writeLines(io.stdout, [`schema is up to date (version ${latest}); nothing to apply`]);
        return;
      }
      writeLines(io.stdout, [
        `applied ${applied.length} migration${applied.length === 1 ? "" : "s"}:`,
        ...applied.map((tag) => `  ${tag}`),
        `schema is now at version ${latest}`,
      ]);
    });
  withExamples(command, [
    "pgqrs migrate --database-url postgres://postgres@localhost:5432/app",
    "DATABASE_URL=postgres://app:secret@db:5432/app pgqrs migrate",
  ]);
}
