import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** What to run when the page is missing: the page is built by Vite, apart from the server. */
export const buildPageCommand = "pnpm --filter @pgqrs/dashboard build:web";

/** True when `dir` holds a built page (an `index.html`). */
export function hasBuiltPage(dir: string): boolean {
  return existsSync(join(dir, "index.html"));
}

/**
 * Where the built page is: `web/` beside the bundled server (`dist/index.js` → `dist/web`) once published, or
 * `dist/web` of the package when running from source in the workspace. Returns the first that holds an
 * `index.html`, or `undefined` when the page has not been built (run {@link buildPageCommand}).
 */
export function findStaticDir(): string | undefined {
  const candidates = [new URL("./web/", import.meta.url), new URL("../dist/web/", import.meta.url)].map((url) =>
    fileURLToPath(url),
  );
  return candidates.find((dir) => hasBuiltPage(dir));
}
