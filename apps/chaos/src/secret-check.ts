/** Finds the suite's secret (raw or URL-encoded) in captured text. */
import { secret } from "./settings";

/** The lines (shortened) that contain the secret. */
export function secretLeaks(lines: readonly string[]): string[] {
  const forms = [secret, encodeURIComponent(secret)];
  return lines.filter((line) => forms.some((form) => line.includes(form))).map((line) => line.slice(0, 300));
}
