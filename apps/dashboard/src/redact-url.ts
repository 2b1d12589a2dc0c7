/**
 * The database URL as the dashboard shows it: the password replaced by `***`, and the password (raw and
 * percent-decoded) as secrets to scrub from any error message before it leaves the server.
 */

/** The password of a database URL in every form it may appear in text; empty when it has none. */
export function urlSecrets(url: string): string[] {
  let raw: string;
  try {
    raw = new URL(url).password;
  } catch {
    // A URL that does not parse may still hold `user:password@`: take what sits between ':' and '@'.
    raw = /:\/\/[^:/@]*:(.*)@/.exec(url)?.[1] ?? "";
  }
  if (raw === "") return [];
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // keep the raw form only
  }
  return [...new Set([raw, decoded, encodeURIComponent(decoded)])];
}

/** Replaces every secret in `text` with `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length > 0) result = result.split(secret).join("***");
  }
  return result;
}

/**
 * The URL with its password replaced by `***` (`postgres://app:***@db:5432/prod`). Query parameters named
 * `password` are masked too. A string that is not a URL comes back with anything like `:secret@` masked.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass/i.test(key)) parsed.searchParams.set(key, "***");
    }
    return parsed.toString().replace("%2A%2A%2A", "***");
  } catch {
    // Up to the last '@': a password may hold anything, an unencoded '@' included.
    return url.replace(/(:\/\/[^:/@]*:).*@/, "$1***@");
  }
}
