import { toJsonValue } from "../json/to-json-value";
import type { JsonValue, StoredCause, StoredError } from "../storage/types";

/** Options of {@link toStoredError}. */
export interface ToStoredErrorOptions {
  /** The run's delivery number when the error happened. */
  attempt: number;
  /** The step that threw, when a step threw. */
  stepId?: string;
}

const maxMessageLength = 8_192;
const maxStackLength = 16_384;
const maxDataBytes = 65_536;
const maxCauses = 10;

/**
 * The JSON form of a thrown value, as a run keeps it (SPEC §6): `{ name, message, code?, data?, stack?,
 * attempt, stepId?, causes? }`. Works for anything thrown: an `Error`, a string, a plain object. `data` (an
 * error's `data`, or a thrown plain object itself) is kept only when it is JSON of at most 64 KiB; otherwise
 * it is dropped. Long messages and stacks are cut. The cause chain keeps `{ name, message }` per link.
 */
export function toStoredError(error: unknown, options: ToStoredErrorOptions): StoredError {
  const { name, message } = describeThrown(error);
  const stored: StoredError = { name, message, attempt: options.attempt };
  if (isObject(error)) {
    const code: unknown = error.code;
    if (typeof code === "string") stored.code = code;
    else if (typeof code === "number" && Number.isFinite(code)) stored.code = String(code);
    const data = jsonOrUndefined(error instanceof Error ? error.data : isPlain(error) ? error : undefined);
    if (data !== undefined) stored.data = data;
    if (typeof error.stack === "string") stored.stack = cut(error.stack, maxStackLength);
  }
  if (options.stepId !== undefined) stored.stepId = options.stepId;
  const causes = collectCauses(error);
  if (causes.length > 0) stored.causes = causes;
  return stored;
}

function describeThrown(error: unknown): StoredCause {
  if (isObject(error)) {
    const name = typeof error.name === "string" && error.name !== "" ? error.name : error instanceof Error ? "Error" : "NonErrorThrown";
    const message = typeof error.message === "string" ? error.message : `a non-Error value was thrown: ${preview(error)}`;
    return { name, message: cut(message, maxMessageLength) };
  }
  if (typeof error === "string") return { name: "Error", message: cut(error, maxMessageLength) };
  return { name: "NonErrorThrown", message: `a non-Error value was thrown: ${preview(error)}` };
}

function collectCauses(error: unknown): StoredCause[] {
  const causes: StoredCause[] = [];
  const seen = new Set<unknown>([error]);
  let current: unknown = isObject(error) ? error.cause : undefined;
  while (current !== undefined && !seen.has(current) && causes.length < maxCauses) {
    seen.add(current);
    causes.push(describeThrown(current));
    current = isObject(current) ? current.cause : undefined;
  }
  return causes;
}

function jsonOrUndefined(value: unknown): JsonValue | undefined {
  if (value === undefined) return undefined;
  try {
    return toJsonValue(value, { path: "data", maxBytes: maxDataBytes });
  } catch {
    // Detail that is not JSON (or too large) is dropped rather than failing the write of the error itself.
    return undefined;
  }
}

function preview(value: unknown): string {
  if (typeof value === "symbol") return value.toString();
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "object" && value !== null) {
    try {
      return cut(JSON.stringify(value) ?? Object.prototype.toString.call(value), 200);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}

function cut(raw: string, length: number): string {
  // Error text is user data too: drop U+0000, which PostgreSQL's jsonb cannot hold, rather than lose the error.
  const text = raw.replaceAll("\u0000", "\uFFFD");
  return text.length > length ? `${text.slice(0, length)}… (${text.length - length} more characters)` : text;
}

type Indexable = Record<string, unknown> & { data?: unknown };

function isObject(value: unknown): value is Indexable {
  return typeof value === "object" && value !== null;
}

function isPlain(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || prototype === Object.prototype || Array.isArray(value);
}
