import { describe, expect, it } from "vitest";
import { InvalidNameError } from "./errors/invalid-name-error";
import { assertStepId, assertWorkerName, assertWorkflowName } from "./names";

function nameError(fn: () => void): InvalidNameError {
  try {
    fn();
  } catch (error) {
    if (InvalidNameError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected InvalidNameError");
}

describe("workflow and worker names", () => {
  it.each(["zip_files", "a", "A.b-c_9", "9lives", "x".repeat(128)])("accepts %j", (name) => {
    expect(() => assertWorkflowName(name)).not.toThrow();
    expect(() => assertWorkerName(name)).not.toThrow();
  });

  it.each(["", "a b", "x".repeat(129), "x".repeat(200), "../x", "_private", "-dash", ".dot", "ünïcode", "a/b"])(
    "rejects %j naming the rule",
    (name) => {
      const error = nameError(() => assertWorkflowName(name));
      expect(error.kind).toBe("workflow name");
      expect(error.message).toMatch(/1-128 characters of A-Z, a-z, 0-9, '_', '\.' and '-', starting with a letter or digit/);
      expect(nameError(() => assertWorkerName(name)).kind).toBe("worker name");
    },
  );

  it.each([undefined, null, 42, 10n, Symbol("s"), {}, ["a"]])("rejects the non-string %s", (value) => {
    expect(nameError(() => assertWorkflowName(value)).message).toMatch(/not a string/);
  });

  it("shortens very long values in the message", () => {
    const error = nameError(() => assertWorkflowName("y".repeat(10_000)));
    expect(error.message.length).toBeLessThan(400);
    expect(error.message).toMatch(/10000 characters/);
  });
});

describe("step ids", () => {
  it.each(["list_files", "a b / ünïcode", "x".repeat(255), "1"])("accepts %j", (id) => {
    expect(() => assertStepId(id)).not.toThrow();
  });

  it.each(["", "x".repeat(256), "a\u0000b", 1, undefined, null])("rejects %j", (id) => {
    const error = nameError(() => assertStepId(id));
    expect(error.kind).toBe("step id");
    expect(error.message).toMatch(/non-empty string of at most 255 characters/);
  });
});
