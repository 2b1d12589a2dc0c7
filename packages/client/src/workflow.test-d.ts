import { defineWorkflow } from "@pgqrs/core";
import type { WorkflowStore } from "@pgqrs/core/storage";
import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import type { QueueMessage } from "./queue-message";
import { run } from "./run";
import type { RunInfo } from "./run-info";
import { workflow } from "./workflow";

const zipFiles = defineWorkflow({
  name: "zip_files",
  input: z.object({ bucket: z.string(), prefix: z.string(), limit: z.number().default(10) }),
  output: z.object({ archivePath: z.string(), fileCount: z.number() }),
});
const untyped = defineWorkflow({ name: "untyped" });
declare const store: WorkflowStore;

describe("types flow from a definition", () => {
  it("trigger() takes the input schema's input type", () => {
    const client = workflow(zipFiles);
    expectTypeOf(client.trigger).parameter(0).toEqualTypeOf<{ bucket: string; prefix: string; limit?: number | undefined }>();
    client.trigger({ bucket: "b", prefix: "p" });
    // @ts-expect-error -- a missing field
    client.trigger({ bucket: "b" });
    // @ts-expect-error -- a field of the wrong type
    client.trigger({ bucket: 1, prefix: "p" });
    // @ts-expect-error -- not an object
    client.trigger("zip everything");
  });

  it("the message carries the output type to result() and get()", async () => {
    const message = await workflow(zipFiles).trigger({ bucket: "b", prefix: "p" }).execute(store);
    expectTypeOf(message).toEqualTypeOf<QueueMessage<{ archivePath: string; fileCount: number }>>();
    expectTypeOf(message.id).toEqualTypeOf<string>();
    expectTypeOf(message.createdAt).toEqualTypeOf<string>();
    expectTypeOf(message.created).toEqualTypeOf<boolean>();

    const handle = run().status(message).store(store);
    expectTypeOf(handle.result()).resolves.toEqualTypeOf<{ archivePath: string; fileCount: number }>();
    expectTypeOf(handle.get()).resolves.toEqualTypeOf<RunInfo<{ archivePath: string; fileCount: number }>>();
    expectTypeOf(handle.resume()).resolves.toEqualTypeOf<RunInfo<{ archivePath: string; fileCount: number }>>();
  });

  it("a bare name, a run id or { runId } give unknown", async () => {
    const message = await workflow("zip_files").trigger({ anything: true }).execute(store);
    expectTypeOf(message).toEqualTypeOf<QueueMessage<unknown>>();
    expectTypeOf(run().status(message).store(store).result()).resolves.toBeUnknown();
    expectTypeOf(run().status(message.runId).store(store).result()).resolves.toBeUnknown();
    expectTypeOf(run().status({ runId: message.runId }).store(store).result()).resolves.toBeUnknown();
    workflow("zip_files").trigger(42);
  });

  it("a definition without schemas takes and returns unknown", async () => {
    const message = await workflow(untyped).trigger({ free: "form" }).execute(store);
    expectTypeOf(run().status(message).store(store).result()).resolves.toBeUnknown();
  });

  it("an output type can be stated for a bare run id", () => {
    expectTypeOf(run().status<{ ok: true }>("42").store(store).result()).resolves.toEqualTypeOf<{ ok: true }>();
  });

  it("a parsed message still types as a message", () => {
    const parsed = JSON.parse("{}") as QueueMessage<{ ok: boolean }>;
    expectTypeOf(run().status(parsed).store(store).result()).resolves.toEqualTypeOf<{ ok: boolean }>();
  });

  it("refuses what is not a run reference", () => {
    // @ts-expect-error -- a number is not a run reference
    run().status(42);
    // @ts-expect-error -- an object without runId
    run().status({ id: "1" });
  });

  it("trigger options are checked", () => {
    // @ts-expect-error -- delayMs is a number
    workflow("x").trigger({}, { delayMs: "10" });
    // @ts-expect-error -- runAt is a Date
    workflow("x").trigger({}, { runAt: "2030-01-01" });
    // @ts-expect-error -- unknown option
    workflow("x").trigger({}, { priority: 1 });
  });
});
