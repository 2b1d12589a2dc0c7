import { InvalidNameError, InvalidRunStateError, RunNotFoundError } from "@pgqrs/core";
import type { ClaimedRun } from "@pgqrs/core/storage";
import { describe, expect, it } from "vitest";
import { expectOffset, expectRejection, richJson, sampleError, type SuiteContext } from "../harness";
import { createEventRecorder, notifySkip, waitForStoreEvent } from "../store-events";

const unknownRunId = "987654321987654321";
const thirtyDaysMs = 30 * 86_400_000;

/** A moment no test reaches: a wait with it as `until` only ends through its event. */
function farFuture(claim: ClaimedRun): Date {
  return new Date(claim.leaseExpiresAt.getTime() + thirtyDaysMs);
}

/** `sendEvent`, `getEvent` and `pauseRun`'s `waitEvent`: first payload wins, no wake-up is ever lost. */
export function describeEvents(context: SuiteContext): void {
  describe("events", () => {
    const record = createEventRecorder(context);

    /** New workflow, one run claimed and then paused waiting for `name` with a far-future deadline. */
    async function startWaiting(name: string): Promise<{ workflow: string; claim: ClaimedRun }> {
      const { workflow, claim } = await context.startRun();
      await context.store.pauseRun({ runId: claim.runId, leaseToken: claim.leaseToken, until: farFuture(claim), waitEvent: name, reason: `waiting for ${name}` });
      return { workflow, claim };
    }

    it("events: getEvent returns null before the event is sent", async () => {
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow);
      expect(await context.store.getEvent({ runId: message.runId, name: "approved" })).toBeNull();
      await context.store.sendEvent({ runId: message.runId, name: "other", payload: 1 });
      expect(await context.store.getEvent({ runId: message.runId, name: "approved" })).toBeNull();
    });

    it("events: sendEvent stores the event, created true, and getEvent reads it back with sentAt on the store clock", async () => {
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow);
      await context.advanceTime(60_000);
      const sent = await context.store.sendEvent({ runId: message.runId, name: "approved", payload: { by: "ada" } });
      expect(sent.created).toBe(true);
      expect(sent.event).toMatchObject({ runId: message.runId, name: "approved", payload: { by: "ada" } });
      const run = await context.getRun(message.runId);
      expectOffset(sent.event.sentAt, run.createdAt, 60_000);
      expect(await context.store.getEvent({ runId: message.runId, name: "approved" })).toEqual(sent.event);
    });

    it("events: the first payload wins: a second send returns created false with the first event and changes nothing", async () => {
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow);
      await context.store.sendEvent({ runId: message.runId, name: "approved", payload: "first" });
      await context.advanceTime(30_000);
      const before = await context.getRun(message.runId);
      const stored = await context.store.getEvent({ runId: message.runId, name: "approved" });
      const second = await context.store.sendEvent({ runId: message.runId, name: "approved", payload: "second" });
      expect(second).toEqual({ event: stored, created: false });
      expect(second.event.payload).toBe("first");
      expectOffset(second.event.sentAt, before.createdAt, 0);
      expect(await context.store.getEvent({ runId: message.runId, name: "approved" })).toEqual(stored);
      expect(await context.getRun(message.runId)).toEqual(before);
    });

    it("events: events are kept per run and per name", async () => {
      const workflow = await context.newWorkflow();
      const one = await context.enqueue(workflow);
      const two = await context.enqueue(workflow);
      await context.store.sendEvent({ runId: one.runId, name: "approved", payload: "one-approved" });
      await context.store.sendEvent({ runId: one.runId, name: "shipped", payload: "one-shipped" });
      const other = await context.store.sendEvent({ runId: two.runId, name: "approved", payload: "two-approved" });
      expect(other.created).toBe(true);
      expect((await context.store.getEvent({ runId: one.runId, name: "approved" }))?.payload).toBe("one-approved");
      expect((await context.store.getEvent({ runId: one.runId, name: "shipped" }))?.payload).toBe("one-shipped");
      expect((await context.store.getEvent({ runId: two.runId, name: "approved" }))?.payload).toBe("two-approved");
      expect(await context.store.getEvent({ runId: two.runId, name: "shipped" })).toBeNull();
    });

    it("events: payloads round-trip exactly (rich JSON, scalars, null) and are copied", async () => {
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow);
      const payloads = [richJson(), null, "text", 0, -12.75, false, [], {}, [1, "two", null]];
      for (const [index, payload] of payloads.entries()) {
        const sent = await context.store.sendEvent({ runId: message.runId, name: `event-${index}`, payload });
        expect(sent.event.payload).toEqual(payload);
        const read = await context.store.getEvent({ runId: message.runId, name: `event-${index}` });
        expect(read).not.toBeNull();
        expect(read?.payload).toEqual(payload);
      }
      const mutable = { items: ["a"] };
      const sent = await context.store.sendEvent({ runId: message.runId, name: "mutable", payload: mutable });
      mutable.items.push("b");
      (sent.event.payload as { items: string[] }).items.push("c");
      expect((await context.store.getEvent({ runId: message.runId, name: "mutable" }))?.payload).toEqual({ items: ["a"] });
    });

    it("events: an event for a QUEUED run is kept and leaves the run as it was", async () => {
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow, { delayMs: 60_000 });
      const before = await context.getRun(message.runId);
      const sent = await context.store.sendEvent({ runId: message.runId, name: "approved", payload: 1 });
      expect(sent.created).toBe(true);
      expect(await context.getRun(message.runId)).toEqual(before);
      expect(await context.claim(workflow, 1)).toEqual([]);
      await context.advanceTime(61_000);
      const claim = await context.claimOne(workflow);
      expect((await context.store.getEvent({ runId: claim.runId, name: "approved" }))?.payload).toBe(1);
    });

    it("events: an event for a RUNNING run is kept and leaves its lease alone", async () => {
      const { claim } = await context.startRun();
      const before = await context.getRun(claim.runId);
      await context.store.sendEvent({ runId: claim.runId, name: "approved", payload: { ok: true } });
      expect(await context.getRun(claim.runId)).toEqual(before);
      await context.store.saveStep({ runId: claim.runId, leaseToken: claim.leaseToken, stepId: "after-event", output: 1 });
      expect((await context.store.getEvent({ runId: claim.runId, name: "approved" }))?.payload).toEqual({ ok: true });
    });

    it("events: a PAUSED run waiting for the event becomes claimable at once on sendEvent", async () => {
      const { workflow, claim } = await startWaiting("approved");
      expect((await context.getRun(claim.runId)).status).toBe("PAUSED");
      await context.advanceTime(60_000);
      expect(await context.claim(workflow, 1)).toEqual([]);
      const sent = await context.store.sendEvent({ runId: claim.runId, name: "approved", payload: "yes" });
      const woken = await context.getRun(claim.runId);
      expect(woken.visibleAt?.getTime()).toBeLessThanOrEqual(sent.event.sentAt.getTime());
      const resumed = await context.claimOne(workflow);
      expect(resumed).toMatchObject({ runId: claim.runId, attempt: 2, resumedFromPause: true, runFailures: 0 });
    });

    it("events: pauseRun waiting for an event sent while the run was RUNNING makes it claimable at once", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.sendEvent({ runId: claim.runId, name: "approved", payload: "early" });
      await context.store.pauseRun({ runId: claim.runId, leaseToken: claim.leaseToken, until: farFuture(claim), waitEvent: "approved" });
      const resumed = await context.claimOne(workflow);
      expect(resumed).toMatchObject({ runId: claim.runId, attempt: 2, resumedFromPause: true });
    });

    it("events: pauseRun waiting for an event sent before the run was claimed makes it claimable at once", async () => {
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow);
      await context.store.sendEvent({ runId: message.runId, name: "approved", payload: "before" });
      const claim = await context.claimOne(workflow);
      await context.store.pauseRun({ runId: claim.runId, leaseToken: claim.leaseToken, delayMs: thirtyDaysMs, waitEvent: "approved" });
      expect((await context.claimOne(workflow)).runId).toBe(message.runId);
    });

    it("events: a run paused waiting for another event stays invisible until its own event comes", async () => {
      const { workflow, claim } = await startWaiting("approved");
      const other = await context.store.sendEvent({ runId: claim.runId, name: "rejected", payload: null });
      expect(other.created).toBe(true);
      expect(await context.claim(workflow, 1)).toEqual([]);
      expect((await context.getRun(claim.runId)).status).toBe("PAUSED");
      await context.store.sendEvent({ runId: claim.runId, name: "approved", payload: null });
      expect((await context.claimOne(workflow)).runId).toBe(claim.runId);
    });

    it("events: a run paused without waitEvent is not woken by an event", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.pauseRun({ runId: claim.runId, leaseToken: claim.leaseToken, delayMs: 3_600_000, reason: "sleeping" });
      const before = await context.getRun(claim.runId);
      await context.store.sendEvent({ runId: claim.runId, name: "approved", payload: 1 });
      expect(await context.getRun(claim.runId)).toEqual(before);
      expect(await context.claim(workflow, 1)).toEqual([]);
    });

    it("events: a wait ends with its delivery: a later pause is not woken by a repeat of the event", async () => {
      const { workflow, claim } = await startWaiting("approved");
      await context.store.sendEvent({ runId: claim.runId, name: "approved", payload: 1 });
      const resumed = await context.claimOne(workflow);
      await context.store.pauseRun({ runId: resumed.runId, leaseToken: resumed.leaseToken, delayMs: 3_600_000, reason: "sleeping" });
      const repeat = await context.store.sendEvent({ runId: claim.runId, name: "approved", payload: 2 });
      expect(repeat.created).toBe(false);
      expect(await context.claim(workflow, 1)).toEqual([]);
    });

    it("events: a run waiting with a deadline becomes claimable when the deadline passes without the event", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.pauseRun({ runId: claim.runId, leaseToken: claim.leaseToken, delayMs: 3_600_000, waitEvent: "approved" });
      await context.advanceTime(3_500_000);
      expect(await context.claim(workflow, 1)).toEqual([]);
      await context.advanceTime(200_000);
      expect((await context.claimOne(workflow)).runId).toBe(claim.runId);
      expect(await context.store.getEvent({ runId: claim.runId, name: "approved" })).toBeNull();
    });

    it("events: sendEvent to an unknown run throws RunNotFoundError and stores nothing", async () => {
      await expectRejection(context.store.sendEvent({ runId: unknownRunId, name: "approved", payload: 1 }), RunNotFoundError);
      expect(await context.store.getEvent({ runId: unknownRunId, name: "approved" })).toBeNull();
      expect(await context.store.getRun({ runId: unknownRunId })).toBeNull();
    });

    it("events: sendEvent to a SUCCESS, ERROR or CANCELLED run throws InvalidRunStateError and stores nothing", async () => {
      const { workflow, claim } = await context.startRun();
      await context.store.completeRun({ runId: claim.runId, leaseToken: claim.leaseToken, output: 1 });
      await context.enqueue(workflow);
      const failing = await context.claimOne(workflow);
      await context.store.failRun({ runId: failing.runId, leaseToken: failing.leaseToken, error: sampleError() });
      const cancelled = await context.enqueue(workflow);
      await context.store.cancelRun({ runId: cancelled.runId });
      for (const runId of [claim.runId, failing.runId, cancelled.runId]) {
        const before = await context.getRun(runId);
        await expectRejection(context.store.sendEvent({ runId, name: "approved", payload: 1 }), InvalidRunStateError);
        expect(await context.store.getEvent({ runId, name: "approved" })).toBeNull();
        expect(await context.getRun(runId)).toEqual(before);
      }
    });

    it("events: sendEvent with an invalid name throws InvalidNameError and changes nothing", async () => {
      const { workflow, claim } = await startWaiting("approved");
      const before = await context.getRun(claim.runId);
      for (const bad of ["", "a b", "../x", "x".repeat(200)]) {
        const error = await context.store.sendEvent({ runId: claim.runId, name: bad, payload: 1 }).catch((caught: unknown) => caught);
        expect(InvalidNameError.isInstance(error), `name ${JSON.stringify(bad)}`).toBe(true);
      }
      expect(await context.getRun(claim.runId)).toEqual(before);
      expect(await context.claim(workflow, 1)).toEqual([]);
    });

    it("events: parallel sends of one event store one payload and every caller gets it", async () => {
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, index) => context.store.sendEvent({ runId: message.runId, name: "race", payload: { sender: index } })),
      );
      expect(results.filter((result) => result.created)).toHaveLength(1);
      const stored = await context.store.getEvent({ runId: message.runId, name: "race" });
      for (const result of results) expect(result.event).toEqual(stored);
    });

    it("events: sendEvent racing pauseRun with waitEvent never loses the wake-up", async () => {
      const workflow = await context.newWorkflow();
      for (let index = 0; index < 6; index += 1) await context.enqueue(workflow);
      const claimed = await context.claim(workflow, 6);
      expect(claimed).toHaveLength(6);
      await Promise.all(
        claimed.flatMap((claim) => [
          context.store.pauseRun({ runId: claim.runId, leaseToken: claim.leaseToken, until: farFuture(claim), waitEvent: "go" }),
          context.store.sendEvent({ runId: claim.runId, name: "go", payload: claim.runId }),
        ]),
      );
      const resumed = await context.claim(workflow, 10);
      expect(resumed.map((claim) => claim.runId).sort()).toEqual(claimed.map((claim) => claim.runId).sort());
    });

    it("events: with notify, sendEvent that wakes a waiting run publishes enqueued for its workflow", async ({ skip }) => {
      if (!context.store.capabilities.notify) return skip(notifySkip);
      const { workflow, claim } = await startWaiting("approved");
      const events = await record();
      await context.store.sendEvent({ runId: claim.runId, name: "approved", payload: 1 });
      await waitForStoreEvent(events, (event) => event.type === "enqueued" && event.workflow === workflow);
      expect((await context.claimOne(workflow)).runId).toBe(claim.runId);
    });
  });
}
