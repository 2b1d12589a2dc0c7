import { readFileSync } from "node:fs";

/**
 * The journal table inside {@link migrationsSchema}. `@pgqrs/postgres-store` keeps the name internal; it is part
 * of the shipped schema (changing it would orphan every existing journal), so reading it here is safe.
 */
const journalTable = "journal";

/** Which pgqrs migrations a database has, compared with the ones this CLI ships. */
export interface SchemaInfo {
  /** False when the database has no pgqrs migration journal (run `pgqrs migrate`). */
  installed: boolean;
  /** Tag of the newest applied migration (`0000_init`), or `null`. */
  version: string | null;
  /** Shipped migrations the database does not have yet, oldest first. */
  pending: string[];
  /** The database's clock, so ages are measured on the clock that wrote the timestamps. */
  databaseNow: Date;
}

interface JournalEntry {
  tag: string;
  when: number;
}

/** The migrations this CLI's `@pgqrs/postgres-store` ships, oldest first. */
export async function shippedMigrations(): Promise<JournalEntry[]> {
  const { migrationsFolder } = await import("@pgqrs/postgres-store");
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, "utf8")) as { entries: JournalEntry[] };
  return [...journal.entries].sort((left, right) => left.when - right.when);
}

/** Reads the migration journal and the database clock over one short-lived connection. */
export async function readSchemaInfo(url: string): Promise<SchemaInfo> {
  const [{ migrationsSchema }, { default: pg }] = await Promise.all([import("@pgqrs/postgres-store"), import("pg")]);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const clock = await client.query<{ now: Date; journal: string | null }>(
      "select now() as now, to_regclass($1)::text as journal",
      [`${migrationsSchema}.${journalTable}`],
    );
    const databaseNow = clock.rows[0]?.now ?? new Date();
    const shipped = await shippedMigrations();
    if (clock.rows[0]?.journal == null) {
      return { installed: false, version: null, pending: shipped.map((entry) => entry.tag), databaseNow };
    }
    const applied = await client.query<{ last: string | null }>(
      `select max(created_at)::text as last from "${migrationsSchema}"."${journalTable}"`,
    );
    const last = applied.rows[0]?.last == null ? -Infinity : Number(applied.rows[0].last);
    const current = shipped.filter((entry) => entry.when <= last).at(-1);
    const newest = shipped.at(-1);
    // A journal newer than anything shipped means a newer pgqrs migrated this database.
    const version = newest !== undefined && last > newest.when ? `newer than ${newest.tag}` : (current?.tag ?? null);
    return {
      installed: last !== -Infinity,
      version,
      pending: shipped.filter((entry) => entry.when > last).map((entry) => entry.tag),
      databaseNow,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}
