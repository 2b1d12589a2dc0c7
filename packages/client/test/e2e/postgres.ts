/** PostgreSQL for the end-to-end tests: a database of the test file's own, cloned from a migrated template. */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { connect, migrate, migrationsFolder, type StoreLogger } from "@pgqrs/postgres-store";
import { createTestDatabase } from "@pgqrs/vitest-config/postgres";
import type { OpenedStore } from "./harness";

/** The store logs recovered connection trouble; the suite asserts behaviour instead. */
export const quietStoreLogger: StoreLogger = { warn: () => undefined };

function filesUnder(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

/** Names the template after the migrations it holds, so a new migration builds a new template. */
function templateKey(): string {
  const hash = createHash("sha256");
  for (const file of filesUnder(migrationsFolder)) hash.update(file.slice(migrationsFolder.length)).update(readFileSync(file));
  return `pgqrs_${hash.digest("hex").slice(0, 16)}`;
}

/** Opens a `pg` store on a fresh migrated database; closing it drops the database. */
export async function openPostgresStore(): Promise<OpenedStore> {
  const database = await createTestDatabase({
    templateKey: templateKey(),
    prepare: async (url) => {
      await migrate(url);
    },
  });
  const store = await connect(database.url, { migrate: false, logger: quietStoreLogger });
  return {
    store,
    url: database.url,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
}
