import { assertEventName, toJsonValue } from "@pgqrs/core";
import type { EventRecord, JsonValue, WorkflowStore } from "@pgqrs/core/storage";

/**
 * What `sendEvent()` answers. Plain JSON like {@link QueueMessage}: the time is an ISO 8601 string (store clock).
 *
 * The first payload sent under a name wins. `created: false` means an event of that name had already been sent
 * to the run: nothing was written, and `payload` / `sentAt` are the earlier send's, which is what the run
 * receives (or received).
 */
export interface SentEvent {
  /** `true` when this call stored the event; `false` when an earlier send's payload was kept. */
  created: boolean;
  /** The stored payload: this call's when `created`, the earlier one's otherwise. */
  payload: JsonValue;
  /** When the stored event was first sent, as an ISO 8601 string (store clock). */
  sentAt: string;
}

/** Builds the public answer from the store's record. */
export function toSentEvent(record: EventRecord, created: boolean): SentEvent {
  return { created, payload: record.payload, sentAt: record.sentAt.toISOString() };
}

/**
 * Checks the name and the payload, then sends the event; nothing is written when a check fails.
 * @throws InvalidNameError when `name` breaks the naming rule
 * @throws NotJsonError naming the path, or PayloadTooLargeError, when the payload is not storable JSON
 * @throws RunNotFoundError / InvalidRunStateError from the store (unknown run, final run)
 */
export async function sendRunEvent(args: { store: WorkflowStore; runId: string; name: unknown; payload: unknown }): Promise<SentEvent> {
  const { store, runId, name } = args;
  assertEventName(name);
  const payload = toJsonValue(args.payload, { path: `event "${name}" payload` });
  const { event, created } = await store.sendEvent({ runId, name, payload });
  return toSentEvent(event, created);
}
