/**
 * `@pgqrs/core/testing`: an in-memory `WorkflowStore` and a clock tests move by hand. Swap the store for
 * `createMemoryStore()` and nothing else changes.
 */
export { createFakeClock, systemClock } from "./fake-clock";
export type { Clock, FakeClock } from "./fake-clock";
export { createMemoryStore } from "./memory-store";
export type { MemoryStore, MemoryStoreOptions } from "./memory-store";
