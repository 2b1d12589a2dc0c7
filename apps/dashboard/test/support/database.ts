/** A migrated PostgreSQL database of the test file's own, cloned from a template keyed by the migrations' content. */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { migrate, migrationsFolder } from "@pgqrs/postgres-store";
import { createTestDatabase, type TestDatabase } from "@pgqrs/vitest-config/postgres";

function filesUnder(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

function templateKey(): string {
  const hash = createHash("sha256");
  for (const file of filesUnder(migrationsFolder)) hash.update(file.slice(migrationsFolder.length)).update(readFileSync(file));
  return `pgqrs_${hash.digest("hex").slice(0, 16)}`;
}

/** Creates the database; drop it in `afterAll`. */
export function migratedDatabase(): Promise<TestDatabase> {
  return createTestDatabase({ templateKey: templateKey(), prepare: async (url) => void (await migrate(url)) });
}
