import type { MessageRecord } from "@pgqrs/core/storage";
import type { RunIdentity } from "./run-ref";

/**
 * The queue entry a trigger created. Plain JSON: every field survives `JSON.stringify` / `JSON.parse`, so a
 * trigger can hand it to another process, which passes it to `run().status()`.
 *
 * The type parameter is the run's output type (type-only), so `run().status(message)` types `result()`.
 */
export interface QueueMessage<TOutput = unknown> extends RunIdentity<TOutput> {
  /** The message's id (a decimal string; it may hold a 64-bit id). */
  readonly id: string;
  /** The run this message started; exactly one run per message. */
  readonly runId: string;
  /** The workflow's name. */
  readonly workflow: string;
  /** When the message was created, as an ISO 8601 string (store clock). */
  readonly createdAt: string;
  /** When the message first becomes claimable, as an ISO 8601 string (store clock). */
  readonly visibleAt: string;
  /** `false` when an `idempotencyKey` matched an earlier trigger and nothing new was created. */
  readonly created: boolean;
}

/** Builds the public message from the store's record. */
export function toQueueMessage<TOutput>(record: MessageRecord, created: boolean): QueueMessage<TOutput> {
  return {
    id: record.id,
    runId: record.runId,
    workflow: record.workflow,
    createdAt: record.createdAt.toISOString(),
    visibleAt: record.visibleAt.toISOString(),
    created,
  };
}
