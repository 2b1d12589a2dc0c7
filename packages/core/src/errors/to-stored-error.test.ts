import { describe, expect, it } from "vitest";
import { PermanentError } from "./permanent-error";
import { TransientError } from "./transient-error";
import { toStoredError } from "./to-stored-error";

describe("toStoredError", () => {
  it("keeps name, message, code, data, stack, attempt and stepId of a pgqrs error", () => {
    const stored = toStoredError(new PermanentError("card declined", { data: { reason: "insufficient_funds" } }), { attempt: 2, stepId: "charge" });
    expect(stored).toMatchObject({
      name: "PermanentError",
      message: "card declined",
      code: "PERMANENT",
      data: { reason: "insufficient_funds" },
      attempt: 2,
      stepId: "charge",
    });
    expect(stored.stack).toMatch(/card declined/);
    expect(stored.causes).toBeUndefined();
    expect(JSON.parse(JSON.stringify(stored))).toEqual(stored);
  });

  it("keeps the cause chain as { name, message } and stops on cycles", () => {
    const root = new TypeError("fetch failed");
    const middle = new Error("download failed", { cause: root });
    const top = new TransientError("step failed", { cause: middle });
    expect(toStoredError(top, { attempt: 1 }).causes).toEqual([
      { name: "Error", message: "download failed" },
      { name: "TypeError", message: "fetch failed" },
    ]);
    const looped = new Error("a");
    const other = new Error("b", { cause: looped });
    (looped as { cause?: unknown }).cause = other;
    expect(toStoredError(looped, { attempt: 1 }).causes).toEqual([{ name: "Error", message: "b" }]);
    expect(toStoredError(new Error("x", { cause: "text cause" }), { attempt: 1 }).causes).toEqual([{ name: "Error", message: "text cause" }]);
  });

  it("drops data that is not JSON", () => {
    const stored = toStoredError(new PermanentError("x", { data: { when: new Date() } }), { attempt: 1 });
    expect("data" in stored).toBe(false);
  });

  it("keeps a node-style string code", () => {
    const error = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    expect(toStoredError(error, { attempt: 1 }).code).toBe("ECONNREFUSED");
  });

  it("handles thrown strings, plain objects and other values", () => {
    expect(toStoredError("boom", { attempt: 3 })).toEqual({ name: "Error", message: "boom", attempt: 3 });
    expect(toStoredError({ status: 503 }, { attempt: 1 })).toEqual({
      name: "NonErrorThrown",
      message: 'a non-Error value was thrown: {"status":503}',
      data: { status: 503 },
      attempt: 1,
    });
    expect(toStoredError({ name: "HttpError", message: "bad gateway", code: 502 }, { attempt: 1 })).toMatchObject({
      name: "HttpError",
      message: "bad gateway",
      code: "502",
    });
    expect(toStoredError(undefined, { attempt: 1 }).message).toBe("a non-Error value was thrown: undefined");
    expect(toStoredError(42n, { attempt: 1 }).message).toBe("a non-Error value was thrown: 42n");
  });

  it("cuts very long messages", () => {
    const stored = toStoredError(new Error("m".repeat(20_000)), { attempt: 1 });
    expect(stored.message.length).toBeLessThan(8_300);
    expect(stored.message).toMatch(/more characters\)$/);
  });
});
