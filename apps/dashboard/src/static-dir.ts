import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Where the built page is: `web/` beside the bundled server (`dist/cli.js` → `dist/web`) once published, or
 * `dist/web` of the package when running from source. Returns the first that holds an `index.html`.
 * @throws Error when neither exists (build the page first: `pnpm --filter @pgqrs/dashboard build:web`).
 */
export function defaultStaticDir(): string {
  const candidates = [new URL("./web/", import.meta.url), new URL("../dist/web/", import.meta.url)].map((url) =>
    fileURLToPath(url),
  );
  const found = candidates.find((dir) => existsSync(`${dir}index.html`));
  if (found === undefined) {
    throw new Error("the dashboard page is not built; run `pnpm --filter @pgqrs/dashboard build:web` (vite build) first");
  }
  return found;
}
