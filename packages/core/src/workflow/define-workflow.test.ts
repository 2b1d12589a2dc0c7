import type { StandardSchemaV1 } from "@standard-schema/spec";
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { ConfigurationError } from "../errors/configuration-error";
import { InvalidNameError } from "../errors/invalid-name-error";
import { defaultRetryPolicy } from "../retry/default-retry-policy";
import { defineWorkflow } from "./define-workflow";
import type {
  AnyWorkflowDefinition,
  WorkflowContext,
  WorkflowDefinition,
  WorkflowHandler,
  WorkflowInput,
  WorkflowOutput,
  WorkflowParams,
} from "./types";

const zipFiles = defineWorkflow({
  name: "zip_files",
  input: z.object({ bucket: z.string(), prefix: z.string().default("") }),
  output: z.object({ archivePath: z.string(), fileCount: z.number() }),
});

describe("defineWorkflow", () => {
  it("returns a frozen definition with the resolved retry policy", () => {
    expect(zipFiles.kind).toBe("pgqrs.workflow");
    expect(zipFiles.name).toBe("zip_files");
    expect(zipFiles.retry).toEqual(defaultRetryPolicy);
    expect(Object.isFrozen(zipFiles)).toBe(true);
    const custom = defineWorkflow({ name: "custom", retry: { maxAttempts: 2 } });
    expect(custom.retry).toEqual({ ...defaultRetryPolicy, maxAttempts: 2 });
    expect(custom.input).toBeUndefined();
    expect(custom.output).toBeUndefined();
  });

  it("validates the name and the retry policy at definition time", () => {
    expect(() => defineWorkflow({ name: "a b" })).toThrow(InvalidNameError);
    expect(() => defineWorkflow({ name: "ok", retry: { factor: 0 } })).toThrow(/retry\.factor must be/);
  });

  it("rejects a schema that is not a Standard Schema", () => {
    const notASchema = { parse: () => 1 } as unknown as StandardSchemaV1;
    let caught: unknown;
    try {
      defineWorkflow({ name: "bad", input: notASchema });
    } catch (error) {
      caught = error;
    }
    expect(ConfigurationError.isInstance(caught) && caught.option).toBe("input");
  });

  it("infers params, handler input and output from the schemas", () => {
    type Definition = typeof zipFiles;
    expectTypeOf<WorkflowParams<Definition>>().toEqualTypeOf<{ bucket: string; prefix?: string | undefined }>();
    expectTypeOf<WorkflowInput<Definition>>().toEqualTypeOf<{ bucket: string; prefix: string }>();
    expectTypeOf<WorkflowOutput<Definition>>().toEqualTypeOf<{ archivePath: string; fileCount: number }>();
    expectTypeOf(zipFiles).toExtend<AnyWorkflowDefinition>();

    const handler: WorkflowHandler<WorkflowInput<Definition>, WorkflowOutput<Definition>> = async (ctx, params) => {
      expectTypeOf(params.prefix).toEqualTypeOf<string>();
      const files = await ctx.step("list", () => [params.bucket]);
      expectTypeOf(files).toEqualTypeOf<string[]>();
      return { archivePath: "a.zip", fileCount: files.length };
    };
    expectTypeOf(handler).parameter(0).toEqualTypeOf<WorkflowContext>();
  });

  it("types everything unknown without schemas", () => {
    const bare = defineWorkflow({ name: "bare" });
    expectTypeOf(bare).toEqualTypeOf<WorkflowDefinition<unknown, unknown, unknown>>();
    expectTypeOf<WorkflowParams<typeof bare>>().toBeUnknown();
    expectTypeOf<WorkflowInput<typeof bare>>().toBeUnknown();
    expectTypeOf<WorkflowOutput<typeof bare>>().toBeUnknown();
  });

  it("types an input-only definition", () => {
    const _inputOnly = defineWorkflow({ name: "input_only", input: z.object({ id: z.coerce.number() }) });
    expectTypeOf<WorkflowParams<typeof _inputOnly>>().toEqualTypeOf<{ id: unknown }>();
    expectTypeOf<WorkflowInput<typeof _inputOnly>>().toEqualTypeOf<{ id: number }>();
    expectTypeOf<WorkflowOutput<typeof _inputOnly>>().toBeUnknown();
  });
});
