import { connect } from "@pgqrs/postgres-store";
import { describeEndToEnd } from "./e2e/suite";
import { quietStoreLogger } from "./e2e/postgres";

describeEndToEnd({
  name: "pglite",
  open: async () => {
    // connect() with no target: an embedded in-memory PGlite, migrated on the way.
    const store = await connect(undefined, { logger: quietStoreLogger });
    return { store, close: () => store.close() };
  },
});
