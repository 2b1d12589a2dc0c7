/** A promise that resolves with the signal's reason when it aborts, and a way to stop listening. */
export interface AbortWait {
  promise: Promise<{ kind: "aborted"; reason: unknown }>;
  dispose(): void;
}

/** Resolves (never rejects) when `signal` aborts; resolves at once when it already has. */
export function waitForAbort(signal: AbortSignal): AbortWait {
  let dispose = (): void => undefined;
  const promise = new Promise<{ kind: "aborted"; reason: unknown }>((resolve) => {
    if (signal.aborted) {
      resolve({ kind: "aborted", reason: signal.reason });
      return;
    }
    const onAbort = (): void => resolve({ kind: "aborted", reason: signal.reason });
    signal.addEventListener("abort", onAbort, { once: true });
    dispose = () => signal.removeEventListener("abort", onAbort);
  });
  return { promise, dispose: () => dispose() };
}

/** Aborts `controller` when `source` aborts, with the same reason. Returns a function that unlinks them. */
export function linkSignal(source: AbortSignal | undefined, controller: AbortController): () => void {
  if (source === undefined) return () => undefined;
  if (source.aborted) {
    controller.abort(source.reason);
    return () => undefined;
  }
  const onAbort = (): void => controller.abort(source.reason);
  source.addEventListener("abort", onAbort, { once: true });
  return () => source.removeEventListener("abort", onAbort);
}
