import type { StandardSchemaV1 } from "@standard-schema/spec";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InvalidInputError } from "../errors/invalid-input-error";
import { validateSchema } from "./validate-schema";

const schema = z.object({ files: z.array(z.object({ name: z.string() })), "odd key": z.number().optional() });

describe("validateSchema", () => {
  it("returns the schema's output value", async () => {
    const withDefault = z.object({ n: z.number().default(3) });
    await expect(validateSchema(withDefault, {})).resolves.toEqual({ value: { n: 3 } });
  });

  it("returns issues with paths joined like files[3].name", async () => {
    const result = await validateSchema(schema, { files: [{ name: "a" }, { name: "b" }, { name: "c" }, { name: 4 }], "odd key": "x" });
    expect(result.issues?.map((issue) => issue.path)).toEqual(["files[3].name", '["odd key"]']);
    expect(result.issues?.[0]?.message).toMatch(/string/);
  });

  it("leaves the path out for a root issue", async () => {
    const result = await validateSchema(z.string(), 5);
    expect(result.issues).toHaveLength(1);
    expect(result.issues?.[0]?.path).toBeUndefined();
  });

  it("awaits async schemas and path segment objects", async () => {
    const asyncSchema: StandardSchemaV1<unknown, string> = {
      "~standard": {
        version: 1,
        vendor: "test",
        validate: async (value) =>
          typeof value === "string" ? { value: value.toUpperCase() } : { issues: [{ message: "not a string", path: [{ key: "items" }, { key: 0 }] }] },
      },
    };
    await expect(validateSchema(asyncSchema, "ok")).resolves.toEqual({ value: "OK" });
    await expect(validateSchema(asyncSchema, 1)).resolves.toEqual({ issues: [{ message: "not a string", path: "items[0]" }] });
  });

  it("throws InvalidInputError naming the workflow when given one", async () => {
    await expect(validateSchema(schema, { files: [{ name: "a" }] }, { workflow: "zip_files" })).resolves.toEqual({ files: [{ name: "a" }] });
    const error: unknown = await validateSchema(schema, { files: "no" }, { workflow: "zip_files" }).catch((caught: unknown) => caught);
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect((error as InvalidInputError).message).toMatch(/^params for workflow "zip_files" fail its input schema: files: /);
    expect((error as InvalidInputError).issues[0]?.path).toBe("files");
  });
});
