/**
 * A view of a store for one worker that can be "killed": from then on no call answers, as for a process
 * whose database connection went dead with it. With embedded PGlite the whole demo is one process, so this is
 * how story 5 kills a worker without killing the tour. The database itself goes on; writes that reached it
 * before the kill stay, and answers still on their way are lost.
 */
import { ConnectionError } from "@pgqrs/core";
import type { StoreEvent, Subscription, WorkflowStore } from "@pgqrs/core/storage";

/** A store view with a kill switch. */
export interface KillableStore {
  /** Hand this to the worker that will be killed. */
  readonly store: WorkflowStore;
  /** From now on every call, including those in flight, hangs forever and no event is delivered. */
  kill(): void;
  /**
   * Fails every hung call with a `ConnectionError`, as the operating system closes a dead process's sockets,
   * and closes the subscriptions opened through this view. Only for cleaning up the killed worker's objects
   * at the end of the story; the run was long taken over by then.
   */
  sever(): Promise<void>;
}

/** Wraps `store`; `close()` on the view releases the view's subscriptions, never the shared store. */
export function createKillableStore(store: WorkflowStore): KillableStore {
  let killed = false;
  let severed = false;
  const hung = new Set<(error: Error) => void>();
  const subscriptions = new Set<Subscription>();

  const hang = <T>(): Promise<T> => {
    if (severed) return Promise.reject(lostConnection());
    return new Promise<T>((_resolve, reject) => hung.add(reject));
  };
  const call = async <T>(invoke: () => Promise<T>): Promise<T> => {
    if (killed) return hang<T>();
    let value: T;
    try {
      value = await invoke();
    } catch (error) {
      if (killed) return hang<T>();
      throw error;
    }
    return killed ? hang<T>() : value;
  };

  const subscribe = store.subscribe?.bind(store);
  const view: WorkflowStore = new Proxy(store, {
    get(target, property, receiver) {
      if (property === "close") {
        return async () => {
          await Promise.all([...subscriptions].map((subscription) => subscription.close()));
          subscriptions.clear();
        };
      }
      if (property === "subscribe" && subscribe !== undefined) {
        return (args: { onEvent: (event: StoreEvent) => void }) =>
          call(async () => {
            const subscription = await subscribe({ onEvent: (event) => (killed ? undefined : args.onEvent(event)) });
            subscriptions.add(subscription);
            return {
              close: () => call(async () => {
                subscriptions.delete(subscription);
                await subscription.close();
              }),
            };
          });
      }
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => call(async () => (value as (...rest: unknown[]) => Promise<unknown>).apply(target, args));
    },
  });

  return {
    store: view,
    kill() {
      killed = true;
    },
    async sever() {
      severed = true;
      for (const reject of hung) reject(lostConnection());
      hung.clear();
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      subscriptions.clear();
    },
  };
}

function lostConnection(): ConnectionError {
  return new ConnectionError("the connection to the database is gone (this worker was killed)");
}
