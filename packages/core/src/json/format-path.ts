const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Appends one segment to a path the way a reader would write it in JavaScript: `files[3]`, `.name`,
 * `["a b"]`. An empty `path` yields the bare segment (`files`, `[3]`).
 */
export function appendPathSegment(path: string, segment: PropertyKey): string {
  if (typeof segment === "number") return `${path}[${segment}]`;
  if (typeof segment === "symbol") return `${path}[${String(segment)}]`;
  if (identifier.test(segment)) return path === "" ? segment : `${path}.${segment}`;
  return `${path}[${JSON.stringify(segment)}]`;
}

/** Joins segments into one path: `["files", 3, "name"]` → `files[3].name`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((path, segment) => appendPathSegment(path, segment), "");
}
