import type { RunPage } from "@pgqrs/core/storage";
import { describe, expect, it } from "vitest";
import { sampleError, type SuiteContext } from "../harness";

/** Pages through `listRuns` to the end, returning every run id in order. */
async function listAll(context: SuiteContext, args: { workflow?: string; status?: RunPage["runs"][number]["status"]; limit: number }): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1_000; page += 1) {
    const result = await context.store.listRuns({ ...args, ...(cursor === undefined ? {} : { cursor }) });
    expect(result.runs.length).toBeLessThanOrEqual(args.limit);
    ids.push(...result.runs.map((run) => run.runId));
    if (result.nextCursor === null) return ids;
    cursor = result.nextCursor;
  }
  throw new Error("listRuns never returned nextCursor: null");
}

/** `listRuns`: newest first, filters, and cursor paging. */
export function describeListing(context: SuiteContext): void {
  describe("listing", () => {
    it("listing: runs come newest first", async () => {
      const workflow = await context.newWorkflow();
      const ids: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        ids.push((await context.enqueue(workflow, { input: index })).runId);
        await context.advanceTime(1_000);
      }
      const page = await context.store.listRuns({ workflow });
      expect(page.runs.map((run) => run.runId)).toEqual([...ids].reverse());
      expect(page.nextCursor).toBeNull();
      expect(page.runs[0]?.input).toBe(4);
    });

    it("listing: runs created at the same moment still come newest first", async () => {
      const workflow = await context.newWorkflow();
      const ids: string[] = [];
      for (let index = 0; index < 4; index += 1) ids.push((await context.enqueue(workflow)).runId);
      const page = await context.store.listRuns({ workflow });
      expect(page.runs.map((run) => run.runId)).toEqual([...ids].reverse());
    });

    it("listing: cursor paging visits every run exactly once", async () => {
      const workflow = await context.newWorkflow();
      const ids: string[] = [];
      for (let index = 0; index < 11; index += 1) ids.push((await context.enqueue(workflow)).runId);
      const visited = await listAll(context, { workflow, limit: 3 });
      expect(visited).toEqual([...ids].reverse());
    });

    it("listing: paging visits every run exactly once while new runs are enqueued", async () => {
      const workflow = await context.newWorkflow();
      const ids: string[] = [];
      for (let index = 0; index < 9; index += 1) ids.push((await context.enqueue(workflow)).runId);
      const visited: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await context.store.listRuns({ workflow, limit: 2, ...(cursor === undefined ? {} : { cursor }) });
        visited.push(...page.runs.map((run) => run.runId));
        cursor = page.nextCursor ?? undefined;
        await context.enqueue(workflow);
      } while (cursor !== undefined);
      expect(visited).toEqual([...ids].reverse());
    });

    it("listing: the last page has nextCursor null, including an exactly full one", async () => {
      const workflow = await context.newWorkflow();
      for (let index = 0; index < 4; index += 1) await context.enqueue(workflow);
      const first = await context.store.listRuns({ workflow, limit: 2 });
      expect(first.runs).toHaveLength(2);
      expect(first.nextCursor).not.toBeNull();
      const second = await context.store.listRuns({ workflow, limit: 2, cursor: first.nextCursor ?? "" });
      expect(second.runs).toHaveLength(2);
      if (second.nextCursor !== null) {
        const third = await context.store.listRuns({ workflow, limit: 2, cursor: second.nextCursor });
        expect(third).toEqual({ runs: [], nextCursor: null });
      }
      const empty = await context.store.listRuns({ workflow: await context.newWorkflow() });
      expect(empty).toEqual({ runs: [], nextCursor: null });
    });

    it("listing: the default page holds 50 runs", async () => {
      const workflow = await context.newWorkflow();
      for (let index = 0; index < 51; index += 1) await context.enqueue(workflow);
      const page = await context.store.listRuns({ workflow });
      expect(page.runs).toHaveLength(50);
      expect(page.nextCursor).not.toBeNull();
    });

    it("listing: the workflow filter lists only that workflow's runs", async () => {
      const mine = await context.newWorkflow();
      const other = await context.newWorkflow();
      const kept = await context.enqueue(mine);
      await context.enqueue(other);
      const page = await context.store.listRuns({ workflow: mine });
      expect(page.runs.map((run) => run.runId)).toEqual([kept.runId]);
      expect(page.runs[0]?.workflow).toBe(mine);
    });

    it("listing: the status filter lists only runs in that status, with paging", async () => {
      const workflow = await context.newWorkflow();
      for (let index = 0; index < 6; index += 1) await context.enqueue(workflow);
      const claimed = await context.claim(workflow, 4);
      const failedIds: string[] = [];
      for (const claim of claimed.slice(0, 3)) {
        await context.store.failRun({ runId: claim.runId, leaseToken: claim.leaseToken, error: sampleError() });
        failedIds.push(claim.runId);
      }
      expect(await listAll(context, { workflow, status: "ERROR", limit: 2 })).toEqual([...failedIds].reverse());
      expect(await listAll(context, { workflow, status: "RUNNING", limit: 2 })).toEqual([claimed[3]?.runId]);
      expect(await listAll(context, { workflow, status: "QUEUED", limit: 2 })).toHaveLength(2);
      expect(await listAll(context, { workflow, status: "PAUSED", limit: 2 })).toEqual([]);
      expect(await listAll(context, { workflow, status: "CANCELLED", limit: 2 })).toEqual([]);
    });

    it("listing: without a workflow filter every workflow's runs are listed, once each", async () => {
      const one = await context.newWorkflow();
      const two = await context.newWorkflow();
      const a = await context.enqueue(one);
      const b = await context.enqueue(two);
      const visited = await listAll(context, { limit: 25 });
      expect(new Set(visited).size).toBe(visited.length);
      expect(visited.indexOf(b.runId)).toBeGreaterThanOrEqual(0);
      expect(visited.indexOf(b.runId)).toBeLessThan(visited.indexOf(a.runId));
    });

    it("listing: listed runs carry the run record fields", async () => {
      const workflow = await context.newWorkflow();
      const message = await context.enqueue(workflow, { input: { x: [1, 2] } });
      const [run] = (await context.store.listRuns({ workflow })).runs;
      expect(run).toMatchObject({ runId: message.runId, messageId: message.id, workflow, status: "QUEUED", input: { x: [1, 2] }, attempt: 0 });
      expect(run?.createdAt).toBeInstanceOf(Date);
    });
  });
}
