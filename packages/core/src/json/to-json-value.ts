import { ConfigurationError } from "../errors/configuration-error";
import { NotJsonError } from "../errors/not-json-error";
import { PayloadTooLargeError } from "../errors/payload-too-large-error";
import type { JsonValue } from "../storage/types";
import { appendPathSegment } from "./format-path";
import { utf8ByteLength } from "./utf8-byte-length";

/** The default limit for params, step outputs and run outputs: 1 MiB of UTF-8 JSON. */
export const defaultMaxPayloadBytes = 1_048_576;

/** Options of {@link toJsonValue}. */
export interface ToJsonValueOptions {
  /** Where the value comes from, used as the start of error paths: `"params"`, `"output"`, `step "list" output`. */
  path: string;
  /**
   * Limit on `JSON.stringify(value)` in UTF-8 bytes.
   * @default defaultMaxPayloadBytes (1 MiB)
   */
  maxBytes?: number;
  /**
   * Accept `undefined` as the whole value (a void step or a handler that returns nothing) and return it.
   * `undefined` inside arrays is never accepted; inside objects it is dropped as JSON drops it.
   * @default false
   */
  allowUndefined?: boolean;
}

/**
 * Checks that `value` survives `JSON.parse(JSON.stringify(value))` unchanged and returns its JSON form: a
 * fresh copy of plain objects, arrays, strings, finite numbers, booleans and null, with `undefined`-valued
 * properties dropped.
 *
 * @throws NotJsonError for a Date, Map, Set, bigint, NaN/Infinity, function, symbol, class instance, cycle,
 *   array hole or `undefined` array element; the message names the path (`output.files[3].mtime: Date is
 *   not JSON; convert it to a string`)
 * @throws PayloadTooLargeError when the JSON is larger than `maxBytes`
 */
export function toJsonValue(value: unknown, options: ToJsonValueOptions & { allowUndefined: true }): JsonValue | undefined;
export function toJsonValue(value: unknown, options: ToJsonValueOptions): JsonValue;
export function toJsonValue(value: unknown, options: ToJsonValueOptions): JsonValue | undefined {
  const maxBytes = options.maxBytes ?? defaultMaxPayloadBytes;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new ConfigurationError({
      option: "maxPayloadBytes",
      message: `maxPayloadBytes must be a positive integer number of bytes, got ${String(maxBytes)}`,
    });
  }
  if (value === undefined) {
    if (options.allowUndefined === true) return undefined;
    throw notJson(options.path, "undefined is not JSON; use null or leave the value out");
  }
  const json = convert(value, { path: options.path, ancestors: new Set() });
  const sizeBytes = utf8ByteLength(JSON.stringify(json));
  if (sizeBytes > maxBytes) throw new PayloadTooLargeError({ path: options.path, sizeBytes, limitBytes: maxBytes });
  return json;
}

interface Walk {
  path: string;
  /** Objects on the way from the root to here: meeting one again is a cycle (a shared, acyclic reference is fine). */
  ancestors: Set<object>;
}

function convert(value: unknown, walk: Walk): JsonValue {
  switch (typeof value) {
    case "string":
      // PostgreSQL's jsonb cannot hold U+0000; refusing it here gives every store the same clear rule.
      if (value.includes("\u0000")) throw notJson(walk.path, nulAdvice);
      return value;
    case "boolean":
      return value;
    case "number":
      if (!Number.isFinite(value)) throw notJson(walk.path, `${String(value)} is not JSON; use null or a finite number`);
      // -0 reads back as 0.
      return value === 0 ? 0 : value;
    case "bigint":
      throw notJson(walk.path, "bigint is not JSON; convert it to a string (or a number when it is small enough)");
    case "function":
      throw notJson(walk.path, "a function is not JSON; remove it");
    case "symbol":
      throw notJson(walk.path, "a symbol is not JSON; remove it or convert it to a string");
    case "undefined":
      throw notJson(walk.path, "undefined is not JSON here; use null");
    default:
      if (value === null) return null;
      return convertObject(value as object, walk);
  }
}

function convertObject(value: object, walk: Walk): JsonValue {
  if (walk.ancestors.has(value)) throw notJson(walk.path, "the value contains itself (a cycle); remove the back reference");
  walk.ancestors.add(value);
  try {
    return Array.isArray(value) ? convertArray(value, walk) : convertPlainObject(value, walk);
  } finally {
    walk.ancestors.delete(value);
  }
}

function convertPlainObject(value: object, walk: Walk): JsonValue {
  const rejection = describeNonPlain(value);
  if (rejection !== undefined) throw notJson(walk.path, rejection);
  const symbolKey = Object.getOwnPropertySymbols(value).find((key) => Object.prototype.propertyIsEnumerable.call(value, key));
  if (symbolKey !== undefined) throw notJson(appendPathSegment(walk.path, symbolKey), "a symbol key is not JSON; use a string key");
  const result: Record<string, JsonValue> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (entry === undefined) continue;
    if (key.includes("\u0000")) throw notJson(appendPathSegment(walk.path, key.replaceAll("\u0000", "\\u0000")), nulAdvice);
    // defineProperty, so a "__proto__" key stays an own property as JSON.parse would make it.
    Object.defineProperty(result, key, {
      value: convert(entry, { path: appendPathSegment(walk.path, key), ancestors: walk.ancestors }),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}

function convertArray(value: readonly unknown[], walk: Walk): JsonValue[] {
  const result: JsonValue[] = [];
  for (let index = 0; index < value.length; index += 1) {
    const path = appendPathSegment(walk.path, index);
    if (!(index in value)) throw notJson(path, "an array hole is not JSON; fill it with null");
    const entry = value[index];
    if (entry === undefined) throw notJson(path, "undefined in an array is not JSON (it reads back as null); use null");
    result.push(convert(entry, { path, ancestors: walk.ancestors }));
  }
  return result;
}

const advice = new Map<string, string>([
  ["Date", "convert it to a string"],
  ["Map", "convert it to an object (Object.fromEntries(map)) or an array of entries"],
  ["Set", "convert it to an array ([...set])"],
  ["RegExp", "convert it to a string"],
  ["URL", "convert it to a string"],
]);

/** Why a non-array object is not a plain object, or `undefined` when it is one. */
function describeNonPlain(value: object): string | undefined {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === null || prototype === Object.prototype) return undefined;
  // A plain object from another realm (a vm context) has another realm's Object.prototype.
  if (Object.prototype.toString.call(value) === "[object Object]" && isRealmObjectPrototype(prototype)) return undefined;
  const name = constructorName(value);
  if (value instanceof Date) return `Date is not JSON; ${advice.get("Date") ?? ""}`;
  const known = advice.get(name);
  if (known !== undefined) return `${name} is not JSON; ${known}`;
  if (value instanceof Error) return `${name} is not JSON; store { name, message } instead`;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `${name} is not JSON; convert it to an array or a base64 string`;
  return `${name === "" ? "a class instance" : `an instance of ${name}`} is not JSON; convert it to a plain object`;
}

function isRealmObjectPrototype(prototype: unknown): boolean {
  return typeof prototype === "object" && prototype !== null && Object.getPrototypeOf(prototype) === null && constructorName(prototype) === "Object";
}

function constructorName(value: object): string {
  const constructor: unknown = (value as { constructor?: unknown }).constructor;
  return typeof constructor === "function" ? constructor.name : "";
}

const nulAdvice = "a string holding the NUL character (\\u0000) cannot be stored; remove it or encode the text (e.g. base64)";

function notJson(path: string, reason: string): NotJsonError {
  return new NotJsonError({ path, message: `${path}: ${reason}` });
}
