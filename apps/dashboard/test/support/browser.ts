/** Debian's Chromium driven by playwright-core, headless (install it with scripts/ensure-chromium.sh). */
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import type { Browser } from "playwright-core";

/** Where Debian's `chromium` package puts the browser; `CHROMIUM_PATH` overrides it. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Whether the browser is installed. Under `CI=true` a missing browser throws, so CI can never pass by skipping the
 * browser tests.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(chromiumPath)) return true;
  if (process.env.CI === "true" || process.env.CI === "1") {
    throw new Error(`CI=true and Chromium is missing at ${chromiumPath}: run scripts/ensure-chromium.sh first`);
  }
  return false;
}

/** Launches a headless Chromium; close it in `afterAll`. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"],
  });
}
