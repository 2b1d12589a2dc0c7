import { describeStoreConformance } from "@pgqrs/store-conformance";
import { postgresAvailable } from "@pgqrs/vitest-config/postgres";
import type { TestDatabase } from "@pgqrs/vitest-config/postgres";
import type pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { connect } from "../src/connect";
import { silentLogger } from "../src/logger";
import { advanceTime, migratedDatabase, testPool, truncateAll } from "./support/databases";

const hasPostgres = await postgresAvailable();

describe.skipIf(!hasPostgres)("PostgreSQL through pg", () => {
  let database: TestDatabase;
  let admin: pg.Pool;
  beforeAll(async () => {
    database = await migratedDatabase();
    admin = testPool(database.url, 2);
  });
  afterAll(async () => {
    await admin?.end();
    await database?.drop();
  });

  describeStoreConformance({
    name: "postgres",
    createStore: async () => {
      // Tests in a file run one after another: each starts from empty tables in this file's own database.
      await truncateAll(admin);
      const store = await connect(database.url, { migrate: false, logger: silentLogger });
      return {
        store,
        advanceTime: (ms: number) => advanceTime(admin, ms),
        cleanup: () => store.close(),
      };
    },
  });
});
