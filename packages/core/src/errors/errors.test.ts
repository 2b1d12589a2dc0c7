import { describe, expect, it } from "vitest";
import { LeaseLostError } from "./lease-lost-error";
import { PauseRequest } from "./pause-request";
import { PermanentError } from "./permanent-error";
import { PgqrsError } from "./pgqrs-error";
import { RunFailedError } from "./run-failed-error";
import { TransientError } from "./transient-error";
import { InvalidNameError } from "./invalid-name-error";
import { IncompatibleStoreError } from "./incompatible-store-error";

describe("PgqrsError.isInstance", () => {
  it("recognises errors by class and by code", () => {
    const error = new TransientError("flaky", { retryAfterMs: 10 });
    expect(PgqrsError.isInstance(error)).toBe(true);
    expect(TransientError.isInstance(error)).toBe(true);
    expect(PermanentError.isInstance(error)).toBe(false);
    expect(error.name).toBe("TransientError");
    expect(error.code).toBe("TRANSIENT");
    expect(error.retryAfterMs).toBe(10);
  });

  it("recognises a copy from another package instance by its marker and code", () => {
    // What a second copy of @pgqrs/core would create: another class, the same registered symbol.
    const copy = { [Symbol.for("pgqrs.error")]: true, code: "LEASE_LOST", name: "LeaseLostError", message: "gone", runId: "1" };
    expect(PgqrsError.isInstance(copy)).toBe(true);
    expect(LeaseLostError.isInstance(copy)).toBe(true);
    expect(PermanentError.isInstance(copy)).toBe(false);
  });

  it("rejects look-alikes without the marker", () => {
    expect(PgqrsError.isInstance({ code: "LEASE_LOST" })).toBe(false);
    expect(PgqrsError.isInstance(new Error("plain"))).toBe(false);
    expect(PgqrsError.isInstance(null)).toBe(false);
    expect(PgqrsError.isInstance("LEASE_LOST")).toBe(false);
  });

  it("keeps the cause and structured fields", () => {
    const cause = new Error("socket hang up");
    const error = new PermanentError("bad request", { cause, data: { status: 400 } });
    expect(error.cause).toBe(cause);
    expect(error.data).toEqual({ status: 400 });
    expect(PauseRequest.isInstance(new PauseRequest({ delayMs: 5 }))).toBe(true);
    const failed = new RunFailedError({ runId: "7", error: { name: "Error", message: "boom", attempt: 3 } });
    expect(failed.message).toBe("run 7 ended ERROR after attempt 3: Error: boom");
  });

  it("renders odd values in messages without throwing", () => {
    expect(new InvalidNameError({ kind: "step id", value: 10n, rule: "r" }).message).toBe("invalid step id (bigint 10, not a string): r");
    expect(new IncompatibleStoreError({ specVersion: "v2", name: "x" }).message).toMatch(/implements storage spec "v2", but this package needs "v1"/);
    expect(new IncompatibleStoreError({ specVersion: undefined }).message).toMatch(/\(unnamed\) implements storage spec undefined/);
  });
});
