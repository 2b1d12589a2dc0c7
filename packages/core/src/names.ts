import { InvalidNameError } from "./errors/invalid-name-error";

const namePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** The rule for workflow and worker names, as error messages state it. */
export const nameRule = "use 1-128 characters of A-Z, a-z, 0-9, '_', '.' and '-', starting with a letter or digit";

/** The rule for step ids, as error messages state it. */
export const stepIdRule = "use a non-empty string of at most 255 characters without NUL characters";

/**
 * Checks a workflow name: 1–128 characters of `[A-Za-z0-9_.-]`, starting with a letter or digit.
 * @throws InvalidNameError naming the rule, for anything else (non-strings included)
 */
export function assertWorkflowName(name: unknown): asserts name is string {
  if (typeof name !== "string" || !namePattern.test(name)) {
    throw new InvalidNameError({ kind: "workflow name", value: name, rule: nameRule });
  }
}

/**
 * Checks a worker name; the rule is the workflow names' rule.
 * @throws InvalidNameError naming the rule, for anything else (non-strings included)
 */
export function assertWorkerName(name: unknown): asserts name is string {
  if (typeof name !== "string" || !namePattern.test(name)) {
    throw new InvalidNameError({ kind: "worker name", value: name, rule: nameRule });
  }
}

/**
 * Checks an event name (`ctx.waitForEvent`, `sendEvent`); the rule is the workflow names' rule.
 * @throws InvalidNameError naming the rule, for anything else (non-strings included)
 */
export function assertEventName(name: unknown): asserts name is string {
  if (typeof name !== "string" || !namePattern.test(name)) {
    throw new InvalidNameError({ kind: "event name", value: name, rule: nameRule });
  }
}

/**
 * Checks a step id: a non-empty string of at most 255 characters (UTF-16 code units). NUL is refused too,
 * because PostgreSQL text cannot hold it.
 * @throws InvalidNameError naming the rule, for anything else (non-strings included)
 */
export function assertStepId(id: unknown): asserts id is string {
  if (typeof id !== "string" || id.length === 0 || id.length > 255 || id.includes("\u0000")) {
    throw new InvalidNameError({ kind: "step id", value: id, rule: stepIdRule });
  }
}

/**
 * The workflow name from `store.createWorkflow`'s argument (`{ name }` or the bare name), validated.
 * @throws InvalidNameError naming the rule
 */
export function workflowNameFrom(args: { name: string } | string): string {
  const name: unknown = typeof args === "object" && args !== null ? args.name : args;
  assertWorkflowName(name);
  return name;
}
