/** Coalesces concurrent calls of one kind of write into multi-row statements. */
export interface Batcher<TItem, TResult> {
  /** Queues `item` for the next batch and resolves with its own result (or rejects with its own error). */
  submit(item: TItem): Promise<TResult>;
  /** Resolves once nothing is queued or in flight. */
  drain(): Promise<void>;
}

/** Options of {@link createBatcher}. */
export interface BatcherOptions<TItem, TResult> {
  /**
   * Writes one batch in one statement and returns, in order, each item's result or the error that is that item's
   * alone (a lost lease). Throwing fails the whole batch.
   */
  run(items: TItem[]): Promise<(TResult | Error)[]>;
  /** Items with equal keys never share a batch: the later one goes in the next, as if the calls were sequential. */
  keyOf(item: TItem): string;
  /** At most this many items per statement. */
  maxBatch: number;
  /** At most this many statements in flight at once; calls that arrive meanwhile queue for the next. */
  maxInFlight: number;
  /**
   * Whether the items of a batch that threw should each be tried again in a statement of its own, so that one item
   * the database refuses fails alone. Not for connection failures: those fail every item, as they would unbatched.
   */
  retryAlone(error: unknown): boolean;
}

interface Pending<TItem, TResult> {
  item: TItem;
  resolve(result: TResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit for a store's hot writes. A call that finds a free slot goes out at once, alone if it is alone: no
 * timer, no wait when idle beyond the end of the current turn of the event loop (`setImmediate`), so that every
 * call made while handling one I/O event (the answer that let ten handlers go on, say) shares the statement. Calls
 * that arrive while `maxInFlight` statements are out queue up and leave together when one returns, so under load the
 * number of statements (and commits, and WAL flushes) per call falls as concurrency rises.
 */
export function createBatcher<TItem, TResult>(options: BatcherOptions<TItem, TResult>): Batcher<TItem, TResult> {
  let queue: Pending<TItem, TResult>[] = [];
  let inFlight = 0;
  let scheduled = false;
  const idle: (() => void)[] = [];

  const settle = (batch: Pending<TItem, TResult>[], results: (TResult | Error)[]): void => {
    batch.forEach((pending, index) => {
      const result = results[index];
      if (result instanceof Error) pending.reject(result);
      else if (index < results.length) pending.resolve(result as TResult);
      else pending.reject(new Error(`pgqrs: a batched write returned ${results.length} results for ${batch.length} items`));
    });
  };

  const runAlone = async (pending: Pending<TItem, TResult>): Promise<void> => {
    try {
      settle([pending], await options.run([pending.item]));
    } catch (error) {
      pending.reject(error);
    }
  };

  const send = async (batch: Pending<TItem, TResult>[]): Promise<void> => {
    try {
      settle(batch, await options.run(batch.map((pending) => pending.item)));
    } catch (error) {
      if (batch.length > 1 && options.retryAlone(error)) {
        for (const pending of batch) await runAlone(pending);
      } else {
        for (const pending of batch) pending.reject(error);
      }
    }
  };

  const flush = (): void => {
    scheduled = false;
    while (inFlight < options.maxInFlight && queue.length > 0) {
      const batch: Pending<TItem, TResult>[] = [];
      const later: Pending<TItem, TResult>[] = [];
      const keys = new Set<string>();
      for (const pending of queue) {
        const key = options.keyOf(pending.item);
        if (batch.length < options.maxBatch && !keys.has(key)) {
          keys.add(key);
          batch.push(pending);
        } else {
          later.push(pending);
        }
      }
      queue = later;
      inFlight += 1;
      void send(batch).finally(() => {
        inFlight -= 1;
        if (queue.length > 0) flush();
        else if (inFlight === 0) idle.splice(0).forEach((wake) => wake());
      });
    }
  };

  return {
    submit(item) {
      return new Promise<TResult>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (!scheduled && inFlight < options.maxInFlight) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    drain() {
      if (queue.length === 0 && inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
  };
}
