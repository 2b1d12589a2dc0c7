import { createMemoryStore } from "@pgqrs/core/testing";
import { describeEndToEnd } from "./e2e/suite";

describeEndToEnd({
  name: "memory",
  open: async () => {
    const store = createMemoryStore();
    return { store, close: () => store.close() };
  },
});
