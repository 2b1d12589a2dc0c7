import { PgqrsError } from "./pgqrs-error";

/** A workflow name, step id or worker name broke its rule; nothing was written. */
export class InvalidNameError extends PgqrsError {
  static override readonly code = "INVALID_NAME" as const;
  /** What was named: `"workflow name"`, `"step id"`, `"worker name"`. */
  readonly kind: string;
  readonly value: unknown;
  /** The rule the value broke, in words. */
  readonly rule: string;

  constructor(options: { kind: string; value: unknown; rule: string }) {
    super("INVALID_NAME", { message: `invalid ${options.kind} ${describe(options.value)}: ${options.rule}` });
    this.kind = options.kind;
    this.value = options.value;
    this.rule = options.rule;
  }
}

const shownLength = 80;

/** A short, safe rendering of any value (a huge string is cut, a bigint or symbol does not throw). */
function describe(value: unknown): string {
  if (typeof value === "string") {
    const shown = value.length > shownLength ? `${value.slice(0, shownLength)}…` : value;
    return `${JSON.stringify(shown)}${value.length > shownLength ? ` (${value.length} characters)` : ""}`;
  }
  if (value === null) return "(null, not a string)";
  if (typeof value === "object") return `(${Array.isArray(value) ? "an array" : "an object"}, not a string)`;
  return `(${typeof value} ${typeof value === "symbol" ? value.toString() : String(value)}, not a string)`;
}
