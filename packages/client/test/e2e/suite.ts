/**
 * The end-to-end suite, shared by every store: trigger → worker → result through the public API. Each test
 * file calls {@link describeEndToEnd} with a factory for its store.
 */
import type { WorkflowStore } from "@pgqrs/core/storage";
import { afterAll, afterEach, beforeAll, describe } from "vitest";
import { describeBadInputs } from "./bad-inputs";
import { describeCancellation } from "./cancellation";
import { describeEvents } from "./events";
import type { OpenedStore, StoreFactory } from "./harness";
import { describeSleep } from "./sleep";
import { describeTransitions } from "./transitions";
import { describeWorkflowPause } from "./workflow-pause";
import { createWorkerPool, type WorkerPool } from "./workers";

/** What the suite's parts share: the file's store and the test's workers. */
export interface EndToEndContext {
  /** The store kind: `memory`, `pglite` or `postgres`. */
  kind: string;
  store(): WorkflowStore;
  /** The database URL another process can open, or `undefined` for an in-process store. */
  url(): string | undefined;
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
      kind: factory.name,
      url: () => opened?.url,
      store: () => {
        if (!opened) throw new Error(`the ${factory.name} store is not open`);
        return opened.store;
      },
      workers,
    };
    describeTransitions(context);
    describeBadInputs(context);
    describeSleep(context);
    describeEvents(context);
    describeCancellation(context);
    describeWorkflowPause(context);
  });
}
