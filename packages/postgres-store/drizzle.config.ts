import { defineConfig } from "drizzle-kit";

/** drizzle-kit settings: `pnpm db:generate` writes SQL for `src/schema.ts` into `drizzle/`. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema.ts",
  out: "./drizzle",
  // Only used by `drizzle-kit migrate`; runtime migrations use the same journal (see src/migrate.ts).
  migrations: { schema: "pgqrs_migrations", table: "journal" },
});
