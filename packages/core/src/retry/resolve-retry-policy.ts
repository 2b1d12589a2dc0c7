import { ConfigurationError } from "../errors/configuration-error";
import type { RetryPolicy } from "../workflow/types";
import { defaultRetryPolicy } from "./default-retry-policy";

type PolicyField = keyof RetryPolicy;

const rules: Record<PolicyField, { check: (value: number) => boolean; rule: string }> = {
  maxAttempts: { check: (value) => Number.isSafeInteger(value) && value >= 1, rule: "an integer of at least 1" },
  initialDelayMs: { check: (value) => Number.isFinite(value) && value >= 0, rule: "a finite number of milliseconds, 0 or more" },
  factor: { check: (value) => Number.isFinite(value) && value >= 1, rule: "a finite number of at least 1 (1 means a fixed delay)" },
  maxDelayMs: { check: (value) => Number.isFinite(value) && value >= 0, rule: "a finite number of milliseconds, 0 or more" },
};

const fields = Object.keys(rules) as PolicyField[];

/**
 * Fills a partial retry policy from `base`, checking every field given. `undefined` fields take the base's
 * value.
 *
 * @param partial the options given (`defineWorkflow({ retry })`, `ctx.step(id, fn, { retry })`)
 * @param base the policy to fill from @default defaultRetryPolicy
 * @throws ConfigurationError naming the option (`retry.factor`) for an unknown field or a bad value:
 *   `maxAttempts` an integer ≥ 1, delays finite and ≥ 0, `factor` finite and ≥ 1
 */
export function resolveRetryPolicy(partial: Partial<RetryPolicy> | undefined, base: RetryPolicy = defaultRetryPolicy): RetryPolicy {
  if (partial === undefined) return { ...base };
  if (typeof partial !== "object" || partial === null || Array.isArray(partial)) {
    throw new ConfigurationError({ option: "retry", message: `retry must be an object like { maxAttempts: 3 }, got ${describe(partial)}` });
  }
  const unknown = Object.keys(partial).find((key) => !(fields as string[]).includes(key));
  if (unknown !== undefined) {
    throw new ConfigurationError({
      option: `retry.${unknown}`,
      message: `retry.${unknown} is not a retry option; use ${fields.join(", ")}`,
    });
  }
  const resolved: RetryPolicy = { ...base };
  for (const field of fields) {
    const value: unknown = partial[field];
    if (value === undefined) continue;
    const { check, rule } = rules[field];
    if (typeof value !== "number" || !check(value)) {
      throw new ConfigurationError({ option: `retry.${field}`, message: `retry.${field} must be ${rule}, got ${describe(value)}` });
    }
    resolved[field] = value;
  }
  return resolved;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object" && value !== null) return Array.isArray(value) ? "an array" : "an object";
  return String(value);
}
