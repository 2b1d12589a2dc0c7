import { describe } from "vitest";
import { createSuiteContext, type StoreFactory } from "./harness";
import { describeArchive } from "./suites/archive";
import { describeCancellation } from "./suites/cancellation";
import { describeClaimClock } from "./suites/claim-clock";
import { describeClaiming } from "./suites/claiming";
import { describeConcurrency } from "./suites/concurrency";
import { describeEvents } from "./suites/events";
import { describeIdempotency } from "./suites/idempotency";
import { describeLeases } from "./suites/leases";
import { describeListing } from "./suites/listing";
import { describeNotify } from "./suites/notify";
import { describePause } from "./suites/pause";
import { describeRetries } from "./suites/retries";
import { describeRuns } from "./suites/runs";
import { describeSteps } from "./suites/steps";
import { describeWorkers } from "./suites/workers";
import { describeWorkflowPause } from "./suites/workflow-pause";
import { describeWorkflows } from "./suites/workflows";

/** Options of {@link describeStoreConformance}. */
export interface StoreConformanceOptions {
  /** Shown in the top-level `describe` title (`"memory"`, `"postgres"`). */
  name: string;
  /** Called before every test; its `cleanup` (or `store.close()`) runs after it. */
  createStore: StoreFactory;
}

/**
 * Registers the `WorkflowStore` v1 conformance suite with vitest: one `describe` per area (runs, claiming,
 * claim clock, leases and fencing, step memo, retries and visibility, pause/resume, events, cancellation,
 * idempotency, archive, listing, workflows, workflow pause, workers, notify, concurrency). Call it at the top
 * level of a test file or inside a `describe`.
 *
 * Tests move time only through `advanceTime`, never by sleeping, and give every workflow a fresh name, so a
 * store MAY keep runs of earlier tests.
 */
export function describeStoreConformance(options: StoreConformanceOptions): void {
  describe(`WorkflowStore conformance: ${options.name}`, () => {
    const context = createSuiteContext(options.createStore);
    describeRuns(context);
    describeClaiming(context);
    describeClaimClock(context);
    describeLeases(context);
    describeSteps(context);
    describeRetries(context);
    describePause(context);
    describeEvents(context);
    describeCancellation(context);
    describeIdempotency(context);
    describeArchive(context);
    describeListing(context);
    describeWorkflows(context);
    describeWorkflowPause(context);
    describeWorkers(context);
    describeNotify(context);
    describeConcurrency(context);
  });
}
