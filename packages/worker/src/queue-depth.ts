import type { Logger, WorkflowStore } from "@pgqrs/core";

/** A cached reading of the queue depth. */
export interface QueueDepthGauge {
  /** The latest depth, asking the store at most once per `maxAgeMs`; `undefined` before any answer. */
  read(): Promise<number | undefined>;
}

/**
 * Reads `countRuns({ workflow }).visibleQueued`, at most once per `maxAgeMs` however often it is scraped, so a
 * busy scraper never adds load to the database. A failed read keeps the last value and logs a warning.
 */
export function createQueueDepthGauge(options: {
  store: WorkflowStore;
  workflow: string;
  logger: Logger;
  /** @default 1000 */
  maxAgeMs?: number;
  /** @default Date.now */
  now?: () => number;
}): QueueDepthGauge {
  const maxAgeMs = options.maxAgeMs ?? 1_000;
  const now = options.now ?? Date.now;
  let value: number | undefined;
  let readAt = -Infinity;
  let pending: Promise<number | undefined> | undefined;

  const refresh = async (): Promise<number | undefined> => {
    try {
      const counts = await options.store.countRuns({ workflow: options.workflow });
      value = counts.visibleQueued;
    } catch (error) {
      options.logger.warn({ err: error }, "pgqrs worker: could not read the queue depth for /metrics");
    } finally {
      readAt = now();
      pending = undefined;
    }
    return value;
  };

  return {
    read() {
      if (pending !== undefined) return pending;
      if (now() - readAt < maxAgeMs) return Promise.resolve(value);
      pending = refresh();
      return pending;
    },
  };
}
