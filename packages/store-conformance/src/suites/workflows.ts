import { InvalidNameError, UnknownWorkflowError } from "@pgqrs/core";
import { describe, expect, it } from "vitest";
import { expectRejection, type SuiteContext } from "../harness";

let unknownCounter = 0;

/** `createWorkflow`, `getWorkflow`, `listWorkflows`, and enqueue into a workflow that does not exist. */
export function describeWorkflows(context: SuiteContext): void {
  describe("workflows", () => {
    it("workflows: createWorkflow returns the record and getWorkflow reads it back", async () => {
      const name = await context.newWorkflow();
      const record = await context.store.getWorkflow({ name });
      expect(record?.name).toBe(name);
      expect(record?.createdAt).toBeInstanceOf(Date);
      expect(record?.pausedAt).toBeNull();
    });

    it("workflows: createWorkflow is idempotent and a second call changes nothing", async () => {
      const name = await context.newWorkflow();
      const first = await context.store.getWorkflow({ name });
      const second = await context.store.createWorkflow({ name });
      expect(second).toEqual(first);
      expect((await context.store.listWorkflows()).filter((workflow) => workflow.name === name)).toHaveLength(1);
    });

    it("workflows: createWorkflow takes the bare name too, as store.createWorkflow(\"zip_files\")", async () => {
      unknownCounter += 1;
      const name = `bare_name_${unknownCounter}`;
      const record = await context.store.createWorkflow(name);
      expect(record).toMatchObject({ name, pausedAt: null });
      expect((await context.store.getWorkflow({ name }))?.name).toBe(name);
    });

    it("workflows: createWorkflow refuses an invalid name with InvalidNameError and writes nothing", async () => {
      const before = (await context.store.listWorkflows()).length;
      for (const bad of ["", "a b", "../x", "x".repeat(200)]) {
        const error = await context.store.createWorkflow({ name: bad }).catch((caught: unknown) => caught);
        expect(InvalidNameError.isInstance(error), `name ${JSON.stringify(bad)}`).toBe(true);
      }
      expect(await context.store.listWorkflows()).toHaveLength(before);
    });

    it("workflows: getWorkflow of a name never created returns null", async () => {
      unknownCounter += 1;
      expect(await context.store.getWorkflow({ name: `never_created_${unknownCounter}` })).toBeNull();
    });

    it("workflows: listWorkflows lists every workflow, by name", async () => {
      const created = [await context.newWorkflow(), await context.newWorkflow(), await context.newWorkflow()];
      const names = (await context.store.listWorkflows()).map((workflow) => workflow.name);
      for (const name of created) expect(names).toContain(name);
      expect(names).toEqual([...names].sort());
    });

    it("workflows: enqueue with an unknown workflow throws UnknownWorkflowError and creates nothing", async () => {
      unknownCounter += 1;
      const workflow = `never_created_${unknownCounter}`;
      const before = await context.store.countRuns({});
      await expectRejection(context.store.enqueue({ workflow, input: 1 }), UnknownWorkflowError);
      await expectRejection(context.store.enqueue({ workflow, input: 1, idempotencyKey: "k" }), UnknownWorkflowError);
      expect(await context.store.countRuns({})).toEqual(before);
      expect(await context.store.getWorkflow({ name: workflow })).toBeNull();
      expect((await context.store.listRuns({ workflow })).runs).toEqual([]);
    });

    it("workflows: the error of an unknown workflow names it", async () => {
      unknownCounter += 1;
      const workflow = `never_created_${unknownCounter}`;
      const error = await context.store.enqueue({ workflow, input: 1 }).then(
        () => null,
        (thrown: unknown) => thrown,
      );
      expect(UnknownWorkflowError.isInstance(error)).toBe(true);
      expect(String((error as Error | null)?.message)).toContain(workflow);
    });
  });
}
