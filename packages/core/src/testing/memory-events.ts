import { InvalidRunStateError } from "../errors/invalid-run-state-error";
import { RunNotFoundError } from "../errors/run-not-found-error";
import { toJsonValue } from "../json/to-json-value";
import { assertEventName } from "../names";
import { finalStatuses, type EventRecord, type JsonValue } from "../storage/types";
import { copy, eventKey, now, publish, type MemoryState } from "./memory-state";

function toEventRecord(event: EventRecord): EventRecord {
  return { runId: event.runId, name: event.name, payload: copy(event.payload), sentAt: new Date(event.sentAt) };
}

/** See `WorkflowStore.sendEvent`. Checks the name and payload first, so bad input writes nothing. */
export function sendEvent(
  state: MemoryState,
  args: { runId: string; name: string; payload: JsonValue },
): { event: EventRecord; created: boolean } {
  assertEventName(args.name);
  const payload = toJsonValue(args.payload, { path: `event "${args.name}" payload` });
  const run = state.runs.get(args.runId);
  if (run === undefined) throw new RunNotFoundError(args.runId);
  if (finalStatuses.has(run.status)) {
    throw new InvalidRunStateError({
      runId: run.runId,
      status: run.status,
      message: `run "${run.runId}" is ${run.status}, already final; no step can receive event "${args.name}" any more`,
    });
  }
  const key = eventKey(run.runId, args.name);
  const existing = state.events.get(key);
  if (existing !== undefined) return { event: toEventRecord(existing), created: false };
  const at = now(state);
  const event: EventRecord = { runId: run.runId, name: args.name, payload, sentAt: at };
  state.events.set(key, event);
  if (run.status === "PAUSED" && run.waitEvent === args.name) {
    if (run.visibleAt === null || run.visibleAt.getTime() > at.getTime()) run.visibleAt = new Date(at);
    publish(state, { type: "enqueued", workflow: run.workflow });
  }
  return { event: toEventRecord(event), created: true };
}

/** See `WorkflowStore.getEvent`. */
export function getEvent(state: MemoryState, args: { runId: string; name: string }): EventRecord | null {
  const event = state.events.get(eventKey(args.runId, args.name));
  return event === undefined ? null : toEventRecord(event);
}
