import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors/configuration-error";
import type { RetryPolicy } from "../workflow/types";
import { backoffCapMs, backoffDelayMs } from "./backoff-delay";
import { defaultRetryPolicy } from "./default-retry-policy";
import { resolveRetryPolicy } from "./resolve-retry-policy";

function configError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    if (ConfigurationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected ConfigurationError");
}

describe("resolveRetryPolicy", () => {
  it("has the spec's defaults", () => {
    expect(defaultRetryPolicy).toEqual({ maxAttempts: 5, initialDelayMs: 1000, factor: 2, maxDelayMs: 300_000 });
    expect(resolveRetryPolicy(undefined)).toEqual(defaultRetryPolicy);
    expect(Object.isFrozen(defaultRetryPolicy)).toBe(true);
  });

  it("fills missing fields from the base", () => {
    const base: RetryPolicy = { maxAttempts: 2, initialDelayMs: 10, factor: 3, maxDelayMs: 100 };
    expect(resolveRetryPolicy({ maxAttempts: 7, factor: undefined }, base)).toEqual({ ...base, maxAttempts: 7 });
    expect(resolveRetryPolicy({ initialDelayMs: 0, maxDelayMs: 0, factor: 1, maxAttempts: 1 })).toEqual({
      maxAttempts: 1,
      initialDelayMs: 0,
      factor: 1,
      maxDelayMs: 0,
    });
  });

  it.each([
    ["maxAttempts", 0],
    ["maxAttempts", 1.5],
    ["maxAttempts", Number.POSITIVE_INFINITY],
    ["initialDelayMs", -1],
    ["initialDelayMs", Number.NaN],
    ["maxDelayMs", -5],
    ["factor", 0.5],
    ["factor", Number.POSITIVE_INFINITY],
    ["factor", "2"],
  ])("rejects %s = %s naming the option", (field, value) => {
    const error = configError(() => resolveRetryPolicy({ [field]: value } as Partial<RetryPolicy>));
    expect(error.option).toBe(`retry.${field}`);
    expect(error.message).toMatch(new RegExp(`^retry\\.${field} must be`));
  });

  it("rejects unknown fields and non-objects", () => {
    expect(configError(() => resolveRetryPolicy({ maxAttempt: 3 } as Partial<RetryPolicy>)).option).toBe("retry.maxAttempt");
    expect(configError(() => resolveRetryPolicy(5 as unknown as Partial<RetryPolicy>)).option).toBe("retry");
  });
});

describe("backoffDelayMs", () => {
  const policy: RetryPolicy = { maxAttempts: 10, initialDelayMs: 1000, factor: 2, maxDelayMs: 5000 };

  it("grows the cap exponentially up to maxDelayMs", () => {
    expect([1, 2, 3, 4, 5].map((failure) => backoffCapMs({ policy, failure }))).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(backoffCapMs({ policy, failure: 5000 })).toBe(5000);
  });

  it("draws the full range [0, cap] with the injected random", () => {
    expect(backoffDelayMs({ policy, failure: 1, random: () => 0 })).toBe(0);
    expect(backoffDelayMs({ policy, failure: 1, random: () => 0.5 })).toBe(500);
    expect(backoffDelayMs({ policy, failure: 1, random: () => 0.999_999_9 })).toBe(1000);
    expect(backoffDelayMs({ policy, failure: 3, random: () => 0.25 })).toBe(1000);
    expect(backoffDelayMs({ policy, failure: 9, random: () => 0.999_999_9 })).toBe(5000);
  });

  it("keeps a fixed delay with factor 1", () => {
    const fixed = { ...policy, factor: 1 };
    for (const failure of [1, 2, 10]) expect(backoffCapMs({ policy: fixed, failure })).toBe(1000);
  });

  it("stays within bounds for any random source and a zero initial delay", () => {
    expect(backoffDelayMs({ policy, failure: 2, random: () => 7 })).toBe(2000);
    expect(backoffDelayMs({ policy, failure: 2, random: () => -1 })).toBe(0);
    expect(backoffDelayMs({ policy, failure: 2, random: () => Number.NaN })).toBe(0);
    expect(backoffDelayMs({ policy: { ...policy, initialDelayMs: 0, factor: 10 }, failure: 400, random: () => 0.9 })).toBe(0);
    for (let index = 0; index < 200; index += 1) {
      const delay = backoffDelayMs({ policy, failure: 2 });
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(2000);
      expect(Number.isInteger(delay)).toBe(true);
    }
  });
});
