/**
 * Hides passwords: `scheme://user:password@` becomes `scheme://user:***@`, and every given secret (raw and
 * percent-encoded) becomes `***`. Applied to everything the CLI prints about errors and connections.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  // The placeholder `password` of the CLI's own examples (`postgres://user:password@host/db`) is left readable.
  const result = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@\s]*)@/gi, (match, prefix: string, password: string) =>
    password === "password" ? match : `${prefix}***@`,
  );
  return redactSecrets(result, secrets);
}

/** Replaces each given secret (raw and percent-encoded) with `***`, and nothing else. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      result = result.split(form).join("***");
    }
  }
  return result;
}

/** The password of a database URL (raw and decoded), to scrub from output; empty when it has none. */
export function urlSecrets(url: string | undefined): string[] {
  if (url === undefined) return [];
  try {
    const parsed = new URL(url);
    if (parsed.password === "") return [];
    let decoded = parsed.password;
    try {
      decoded = decodeURIComponent(parsed.password);
    } catch {
      // keep the raw form only
    }
    return [...new Set([parsed.password, decoded])];
  } catch {
    // A URL that does not parse may still hold `user:password@`; take what sits between ':' and '@'.
    const match = /:\/\/[^:/@\s]*:([^@\s]+)@/.exec(url);
    return match?.[1] === undefined ? [] : [match[1]];
  }
}

/** The URL with its password replaced by `***`, for display. */
export function redactUrl(url: string): string {
  return redact(url, urlSecrets(url));
}
