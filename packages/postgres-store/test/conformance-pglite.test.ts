import { PGlite } from "@electric-sql/pglite";
import { describeStoreConformance } from "@pgqrs/store-conformance";
import { afterAll, beforeAll, describe } from "vitest";
import { connect } from "../src/connect";
import { migrate } from "../src/migrate";
import { advanceTime, truncateAll } from "./support/databases";

describe("PGlite", () => {
  // One embedded database for the file (starting PGlite takes seconds); tests empty its tables instead.
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = new PGlite();
    await migrate({ pglite });
  });
  afterAll(async () => {
    await pglite.close();
  });

  describeStoreConformance({
    name: "pglite",
    createStore: async () => {
      await truncateAll(pglite);
      const store = await connect({ pglite, migrate: false });
      return {
        store,
        advanceTime: (ms: number) => advanceTime(pglite, ms),
        cleanup: () => store.close(),
      };
    },
  });
});
