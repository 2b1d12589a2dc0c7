import type { JsonValue } from "@pgqrs/core/storage";
import type { ApiPayload } from "./api-types";

/** How much pretty-printed JSON the API sends per value; the rest is cut (the byte count stays exact). */
export const payloadDisplayLimit = 64 * 1024;

/**
 * Prepares a stored JSON value for display: pretty-printed, cut at `limit` characters, with the size of its compact
 * form in UTF-8 bytes (what the store keeps). `undefined` (a void output) is "absent", not `null`.
 */
export function toPayload(value: JsonValue | undefined, limit = payloadDisplayLimit): ApiPayload {
  if (value === undefined) return { present: false, text: "", bytes: 0, truncated: false };
  const bytes = Buffer.byteLength(JSON.stringify(value), "utf8");
  const pretty = JSON.stringify(value, null, 2);
  const truncated = pretty.length > limit;
  return { present: true, text: truncated ? pretty.slice(0, limit) : pretty, bytes, truncated };
}
