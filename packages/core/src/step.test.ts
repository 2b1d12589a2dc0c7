import { describe, expect, it } from "vitest";
import { ConfigurationError } from "./errors/configuration-error";
import { PauseRequest } from "./errors/pause-request";
import { Step } from "./step";

describe("Step.pause", () => {
  it("returns a PauseRequest for a delay, with an optional reason", () => {
    const request = Step.pause(3_600_000, { reason: "waiting for approval" });
    expect(PauseRequest.isInstance(request)).toBe(true);
    expect(request.delayMs).toBe(3_600_000);
    expect(request.until).toBeUndefined();
    expect(request.reason).toBe("waiting for approval");
    expect(Step.pause(0).reason).toBeUndefined();
  });

  it("returns a PauseRequest until a date, the reason as a field or an argument", () => {
    const until = new Date("2030-01-01T00:00:00Z");
    const request = Step.pause({ until, reason: "field" });
    expect(request.until?.toISOString()).toBe("2030-01-01T00:00:00.000Z");
    expect(request.until).not.toBe(until);
    expect(request.delayMs).toBeUndefined();
    expect(request.reason).toBe("field");
    expect(Step.pause({ until }, { reason: "argument" }).reason).toBe("argument");
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("rejects %s ms", (ms) => {
    expect(() => Step.pause(ms)).toThrow(ConfigurationError);
    expect(() => Step.pause(ms)).toThrow(/finite number of milliseconds, 0 or more/);
  });

  it("rejects an invalid date and a non-string reason", () => {
    expect(() => Step.pause({ until: new Date("nope") })).toThrow(/valid Date/);
    expect(() => Step.pause({ until: "2030-01-01" as unknown as Date })).toThrow(ConfigurationError);
    expect(() => Step.pause(1, { reason: 5 as unknown as string })).toThrow(/reason must be a string/);
  });
});
