import { createFakeClock, createMemoryStore } from "@pgqrs/core/testing";
import { describeStoreConformance } from "../src";

describeStoreConformance({
  name: "memory",
  createStore: async () => {
    const clock = createFakeClock();
    return {
      store: createMemoryStore({ clock }),
      advanceTime: async (ms) => clock.advance(ms),
    };
  },
});
