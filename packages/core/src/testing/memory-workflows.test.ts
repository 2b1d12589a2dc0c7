import { describe, expect, it } from "vitest";
import { UnknownWorkflowError } from "../errors/unknown-workflow-error";
import type { StoreEvent } from "../storage/types";
import { createFakeClock } from "./fake-clock";
import { createMemoryStore } from "./memory-store";

describe("memory store: pauseWorkflow and resumeWorkflow", () => {
  it("stops claims of a paused workflow only, keeps enqueueing, and resumes with an enqueued event", async () => {
    const clock = createFakeClock();
    const store = createMemoryStore({ clock });
    expect(await store.createWorkflow("paused")).toMatchObject({ pausedAt: null });
    await store.createWorkflow("flowing");
    const { workerId } = await store.registerWorker({ name: "worker", workflow: "paused" });
    const claim = (workflow: string) => store.claimRuns({ workerId, workflow, limit: 10, leaseMs: 1_000 });
    await store.enqueue({ workflow: "paused", input: 1 });

    const paused = await store.pauseWorkflow("paused");
    expect(paused.pausedAt?.getTime()).toBe(clock.now());
    clock.advance(1_000);
    expect((await store.pauseWorkflow({ name: "paused" })).pausedAt).toEqual(paused.pausedAt);
    expect((await store.getWorkflow({ name: "paused" }))?.pausedAt).toEqual(paused.pausedAt);

    const { created } = await store.enqueue({ workflow: "paused", input: 2 });
    expect(created).toBe(true);
    await store.enqueue({ workflow: "flowing", input: 3 });
    expect(await claim("paused")).toEqual([]);
    expect(await claim("flowing")).toHaveLength(1);

    const events: StoreEvent[] = [];
    await store.subscribe({ onEvent: (event) => events.push(event) });
    expect(await store.resumeWorkflow("paused")).toMatchObject({ name: "paused", pausedAt: null });
    await Promise.resolve();
    expect(events).toEqual([{ type: "enqueued", workflow: "paused" }]);
    expect((await claim("paused")).map((run) => run.input)).toEqual([1, 2]);
    expect(await store.resumeWorkflow("paused")).toMatchObject({ pausedAt: null });
  });

  it("lets a RUNNING run of a paused workflow finish", async () => {
    const store = createMemoryStore({ clock: createFakeClock() });
    await store.createWorkflow("w");
    const { workerId } = await store.registerWorker({ name: "worker", workflow: "w" });
    const { message } = await store.enqueue({ workflow: "w", input: null });
    const [run] = await store.claimRuns({ workerId, workflow: "w", limit: 1, leaseMs: 1_000 });
    if (run === undefined) throw new Error("nothing to claim");
    await store.pauseWorkflow("w");
    await store.saveStep({ runId: run.runId, leaseToken: run.leaseToken, stepId: "a", output: 1 });
    await store.completeRun({ runId: run.runId, leaseToken: run.leaseToken, output: "done" });
    expect((await store.getRun({ runId: message.runId }))?.status).toBe("SUCCESS");
  });

  it("throws UnknownWorkflowError for a workflow that was never created", async () => {
    const store = createMemoryStore({ clock: createFakeClock() });
    await expect(store.pauseWorkflow("missing")).rejects.toThrow(UnknownWorkflowError);
    await expect(store.resumeWorkflow({ name: "missing" })).rejects.toThrow(UnknownWorkflowError);
    expect(await store.listWorkflows()).toEqual([]);
  });
});
