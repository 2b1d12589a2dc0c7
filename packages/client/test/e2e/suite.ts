/**
 * The end-to-end suite, shared by every store: trigger → worker → result through the public API. Each test
 * file calls {@link describeEndToEnd} with a factory for its store.
 */
import type { WorkflowStore } from "@pgqrs/core/storage";
import { afterAll, afterEach, beforeAll, describe } from "vitest";
import { describeBadInputs } from "./bad-inputs";
import type { OpenedStore, StoreFactory } from "./harness";
import { describeTransitions } from "./transitions";
import { createWorkerPool, type WorkerPool } from "./workers";

/** What the suite's parts share: the file's store and the test's workers. */
export interface EndToEndContext {
  store(): WorkflowStore;
  workers: WorkerPool;
}

export function describeEndToEnd(factory: StoreFactory): void {
  describe.skipIf(factory.skip === true)(`end to end on ${factory.name}`, () => {
    let opened: OpenedStore | undefined;
    const workers = createWorkerPool();
    beforeAll(async () => {
      opened = await factory.open();
    });
    afterEach(() => workers.stopAll());
    afterAll(async () => {
      await opened?.close();
    });

    const context: EndToEndContext = {
      store: () => {
        if (!opened) throw new Error(`the ${factory.name} store is not open`);
        return opened.store;
      },
      workers,
    };
    describeTransitions(context);
    describeBadInputs(context);
  });
}
